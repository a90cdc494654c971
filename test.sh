#!/usr/bin/env bash
# Builds TeamPlatform and runs every test against real PostgreSQL and RabbitMQ (containers when a Docker
# engine answers, the local servers otherwise, installed and started here when missing).
# The last line is "N passed, N failed" (", N skipped" when some were).
set -uo pipefail
cd "$(dirname "$0")"
source scripts/servers.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export UseSharedCompilation=false
results=$(mktemp -d)
trap 'dotnet build-server shutdown >/dev/null 2>&1 || true; rm -rf "$results"' EXIT

tp_prepare_servers || { echo "could not start PostgreSQL and RabbitMQ"; echo "0 passed, 1 failed"; exit 1; }
echo "[test] servers: $TP_SERVERS"
[ "$TP_SERVERS" = "local" ] && tp_drop_test_leftovers
tp_ensure_chromium || { echo "could not install Chromium"; echo "0 passed, 1 failed"; exit 1; }
# Screenshots of the console journeys (and every page of a failed one) are kept here after the run.
export TP_TEST_ARTIFACTS="${TP_TEST_ARTIFACTS:-$PWD/TestResults/console}"
rm -rf "$TP_TEST_ARTIFACTS"

echo "[test] building (Release, warnings as errors)"
if ! dotnet build TeamPlatform.sln -c Release -warnaserror -nologo -v:q; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

run_tests() { # $1: results folder, rest: dotnet test arguments
  local folder="$results/$1"; shift
  timeout --kill-after=30 1500 dotnet test "$@" -c Release --no-build --nologo \
    --logger "trx" --logger "console;verbosity=minimal" --results-directory "$folder" \
    --blame-hang-timeout 5m
}

# The whole-system tests start every service through the AppHost (two of every process, then one of each for a short
# smoke run): they run on their own, so that the other
# projects' hosts do not starve their start-up. The fault suite (docs/reliability.md) kills, freezes and cuts off
# a system of its own under load: it runs alone after them, so that no other test shares its cores or its
# numbers. The broker-outage tests stop the shared RabbitMQ: they run alone, after everything else.
run_tests main TeamPlatform.sln --filter "Category!=BrokerOutage&Category!=Faults&FullyQualifiedName!~TeamPlatform.System.Tests"
run_tests system tests/System.Tests/TeamPlatform.System.Tests.csproj --filter "Category!=Faults"
run_tests faults tests/System.Tests/TeamPlatform.System.Tests.csproj --filter "Category=Faults"
# What each fault did (the figures of docs/reliability.md), from the results into the log.
find "$results/faults" -name '*.trx' -exec grep -ho '\[faults\][^<]*' {} + | sed 's/&gt;/>/g; s/&lt;/</g; s/&quot;/"/g; s/&amp;/\&/g' | awk '!seen[$0]++'
run_tests outage tests/Messaging.Tests/TeamPlatform.Messaging.Tests.csproj --filter "Category=BrokerOutage"

[ "$TP_SERVERS" = "local" ] && tp_drop_test_leftovers

# Every test project must leave a TRX file, and the system tests' second run (the faults) one more; a run that
# crashed before writing it counts as a failure.
projects=$(( $(grep -c 'Tests.csproj' TeamPlatform.sln) + 1 ))
trx_files=$(find "$results/main" "$results/system" "$results/faults" -name '*.trx' -exec grep -l '<Counters [^>]*executed="[1-9]' {} + | wc -l)
sum() { find "$results" -name '*.trx' -exec grep -ho "<Counters [^>]*" {} + | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum passed); failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
total=$(sum total); executed=$(sum executed)
skipped=$(( total - executed ))
# The AsyncAPI document (docs/asyncapi.yaml, generated from the event records) must pass the official parser: one test.
if bash scripts/asyncapi-validate.sh > "$results/asyncapi.log" 2>&1; then
  echo "[test] asyncapi: valid"
  passed=$(( passed + 1 ))
else
  echo "[test] asyncapi: invalid"; cat "$results/asyncapi.log"
  failed=$(( failed + 1 ))
fi

if [ "$trx_files" -lt "$projects" ]; then
  echo "[test] $((projects - trx_files)) test project(s) wrote no results (crashed or timed out)"
  failed=$(( failed + projects - trx_files ))
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
