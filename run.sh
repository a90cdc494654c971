#!/usr/bin/env bash
# Runs the whole of TeamPlatform through the Aspire AppHost, in Development:
#   gateway   http://localhost:5080   (API, /docs, /health)
#   dashboard http://localhost:18888  (traces, logs, metrics of every resource)
# Installs and starts PostgreSQL and RabbitMQ when there is no Docker engine; with one, the AppHost
# runs them as containers. The AppHost prints one line when the gateway and every service are ready, and one
# naming any service that exits, with the first error it wrote. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/servers.sh

tp_prepare_servers
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
if [ "$TP_SERVERS" = "local" ]; then
  export Servers__Mode=local
else
  export Servers__Mode=containers
  unset ConnectionStrings__postgres ConnectionStrings__rabbitmq
fi

echo "TeamPlatform: starting; it says \"TeamPlatform is ready on http://localhost:5080\" when it is (Ctrl-C stops)"
# TP_CONFIGURATION=Release builds and runs every service optimised (load runs: docs/benchmarks.md).
exec dotnet run -c "${TP_CONFIGURATION:-Debug}" --project AppHost/TeamPlatform.AppHost.csproj --launch-profile http
