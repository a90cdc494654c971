#!/usr/bin/env bash
# The first 503 a fresh gateway writes, build against build, side by side in one run.
# With ./run.sh running (Release) and the identity service killed (kill -9 of its process), each round starts every
# gateway build given afresh on a spare port, with the running gateway's own environment, asks one route that a live
# service answers, then /.well-known/openid-configuration (identity's, so 503) twice: the first answer and the next.
# Usage: bench/scripts/first-503.sh <rounds> <gateway build folder>...   e.g. 5 /tmp/before gateway/bin/Release/net10.0
set -euo pipefail
rounds=$1; shift
port=11199
running=$(pgrep -xf '.*/TeamPlatform\.Gateway' | head -1)
[ -n "$running" ] || { echo "no running gateway: start ./run.sh first"; exit 1; }
mapfile -t environment < <(tr '\0' '\n' < "/proc/$running/environ" | grep -v '^ASPNETCORE_URLS=')
environment+=("ASPNETCORE_URLS=http://localhost:$port")
ask() { curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://localhost:$port$1"; }

for round in $(seq 1 "$rounds"); do
  for build in "$@"; do
    (cd "$build" && exec env -i "${environment[@]}" ./TeamPlatform.Gateway > /dev/null 2>&1) &
    gateway=$!
    until curl -s -o /dev/null "http://localhost:$port/alive"; do sleep 0.5; done
    sleep 3
    ask "/api/dev/notifications?to=%2B15550001111" > /dev/null
    sleep 1
    echo "round $round $build: first $(ask /.well-known/openid-configuration), next $(ask /.well-known/openid-configuration)"
    kill "$gateway"; wait "$gateway" 2> /dev/null || true
  done
done
