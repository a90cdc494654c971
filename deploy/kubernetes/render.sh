#!/usr/bin/env bash
# Renders both overlays into rendered/, which tests/Deployment.Tests validates (and compares with a fresh rendering
# wherever kubectl is installed). Run after every change under deploy/kubernetes.
set -euo pipefail
cd "$(dirname "$0")"
for overlay in development production; do
  kubectl kustomize "$overlay" > "rendered/$overlay.yaml"
done
