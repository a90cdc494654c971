#!/usr/bin/env bash
# Validates docs/asyncapi.yaml with the official AsyncAPI parser (@asyncapi/parser). The parser is installed from npm
# into a cache folder of its own the first time, and reused after; it is never part of the repository.
# Exit code 0 when the document has no error-severity diagnostic; the diagnostics are printed otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

parser_version="3.6.6"
tools="${TP_ASYNCAPI_TOOLS:-$HOME/.cache/teamplatform-asyncapi}"
installed="$tools/node_modules/@asyncapi/parser/package.json"

if [ ! -f "$installed" ] || ! grep -q "\"version\": \"$parser_version\"" "$installed"; then
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{ "private": true }' > "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "@asyncapi/parser@$parser_version" >&2
fi

TP_ASYNCAPI_TOOLS="$tools" node scripts/asyncapi-validate.mjs "${1:-docs/asyncapi.yaml}"
