#!/usr/bin/env bash
# Installs (when missing) and starts the PostgreSQL and RabbitMQ servers TeamPlatform runs on.
# Sourced by run.sh and test.sh. Idempotent: when everything is up it returns in well under a second.
#
# With a healthy Docker engine nothing is installed here: the AppHost (run.sh) and the test fixture
# (test.sh) start containers themselves. Without one, the Debian packages are used on loopback.

TP_PG_USER="${TP_PG_USER:-teamplatform}"
TP_PG_PASSWORD="${TP_PG_PASSWORD:-teamplatform}"
TP_PG_MAX_CONNECTIONS=400

tp_log() { printf '[servers] %s\n' "$*" >&2; }

# Runs a command fully detached: its own session, no inherited descriptors, so a daemon it forks
# can never hold the caller's (or CI's) output pipe open.
tp_detached() { "${TP_SUDO[@]}" setsid "$@" </dev/null >/dev/null 2>&1; }

tp_docker_healthy() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

if [ "$(id -u)" -eq 0 ]; then TP_SUDO=(); else TP_SUDO=(sudo); fi
tp_as_root() { "${TP_SUDO[@]}" "$@"; }

tp_apt_install() {
  if [ -z "${TP_APT_UPDATED:-}" ]; then
    tp_log "apt-get update"
    tp_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    TP_APT_UPDATED=1
  fi
  tp_log "apt-get install $*"
  tp_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The console's journeys click through the distribution's Chromium: Playwright's own download cannot run offline.
tp_ensure_chromium() {
  [ -x /usr/bin/chromium ] || [ -n "${TP_CHROMIUM:-}" ] && return 0
  if command -v apt-get >/dev/null 2>&1; then
    tp_apt_install chromium
  else
    tp_log "no /usr/bin/chromium and no apt-get: the console journeys use Playwright's own browser (playwright.ps1 install)"
  fi
}

tp_psql() { tp_as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAX "$@"; }

tp_ensure_postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    tp_apt_install postgresql
  fi
  local cluster version name
  cluster=$(pg_lsclusters --no-header | head -n 1)
  if [ -z "$cluster" ]; then
    tp_log "no PostgreSQL cluster found"; return 1
  fi
  version=$(awk '{print $1}' <<<"$cluster"); name=$(awk '{print $2}' <<<"$cluster")
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    tp_log "starting PostgreSQL $version/$name"
    tp_detached pg_ctlcluster "$version" "$name" start || true
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
    pg_isready -q -h 127.0.0.1 -p 5432 || { tp_log "PostgreSQL did not become ready"; return 1; }
  fi
  if [ "$(tp_psql -c "select count(*) from pg_roles where rolname = '$TP_PG_USER'")" != "1" ]; then
    tp_log "creating role $TP_PG_USER"
    tp_psql -c "create role $TP_PG_USER login createdb password '$TP_PG_PASSWORD'"
  fi
  # Every service keeps a connection pool, and test runs create databases of their own.
  if [ "$(tp_psql -c 'show max_connections')" -lt "$TP_PG_MAX_CONNECTIONS" ]; then
    tp_log "raising max_connections to $TP_PG_MAX_CONNECTIONS (restart)"
    tp_psql -c "alter system set max_connections = $TP_PG_MAX_CONNECTIONS"
    tp_detached pg_ctlcluster "$version" "$name" restart || true
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432
}

tp_configure_rabbitmq() {
  tp_as_root mkdir -p /etc/rabbitmq
  # A node name that always resolves, and loopback only.
  printf 'NODENAME=rabbit@localhost\nNODE_IP_ADDRESS=127.0.0.1\nSERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"\n' | tp_as_root tee /etc/rabbitmq/rabbitmq-env.conf >/dev/null
  printf 'listeners.tcp.local = 127.0.0.1:5672\nmanagement.tcp.ip = 127.0.0.1\nmanagement.tcp.port = 15672\n' \
    | tp_as_root tee /etc/rabbitmq/rabbitmq.conf >/dev/null
  printf '[rabbitmq_management].\n' | tp_as_root tee /etc/rabbitmq/enabled_plugins >/dev/null
}

tp_rabbit_up() { tp_as_root rabbitmqctl -q -n rabbit@localhost await_startup --timeout 2 >/dev/null 2>&1; }

tp_ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    tp_apt_install rabbitmq-server
  fi
  if [ ! -f /etc/rabbitmq/rabbitmq-env.conf ] || ! grep -q 'rabbit@localhost' /etc/rabbitmq/rabbitmq-env.conf; then
    tp_configure_rabbitmq
  fi
  if tp_rabbit_up; then return 0; fi
  tp_log "starting RabbitMQ"
  tp_detached rabbitmq-server -detached || true
  for _ in $(seq 1 90); do
    tp_rabbit_up && break
    sleep 1
  done
  tp_rabbit_up || { tp_log "RabbitMQ did not start (see /var/log/rabbitmq)"; return 1; }
  # The management API is how tests create their own virtual hosts.
  for _ in $(seq 1 30); do
    curl -fsS -u guest:guest http://127.0.0.1:15672/api/overview >/dev/null 2>&1 && break
    sleep 1
  done
}

# Sets TP_SERVERS to "containers" or "local" and, for local, makes sure both servers run.
tp_prepare_servers() {
  if [ "${TP_SERVERS:-}" != "local" ] && tp_docker_healthy; then
    TP_SERVERS=containers
    tp_log "Docker engine is healthy: PostgreSQL and RabbitMQ run as containers"
  else
    TP_SERVERS=local
    tp_log "no healthy Docker engine: using the local PostgreSQL and RabbitMQ servers"
    tp_ensure_postgres
    tp_ensure_rabbitmq
    export ConnectionStrings__postgres="Host=127.0.0.1;Port=5432;Username=$TP_PG_USER;Password=$TP_PG_PASSWORD"
    export ConnectionStrings__rabbitmq="amqp://guest:guest@127.0.0.1:5672/"
  fi
  export TP_SERVERS
}

# Test runs create tp_test_* databases and virtual hosts; a crashed run can leave some behind. Only what
# nobody is connected to goes, so a test run elsewhere on the machine is never cut off.
tp_drop_test_leftovers() {
  local db vhost in_use
  for db in $(tp_psql -c "select datname from pg_database d where datname like 'tp\_test\_%' and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)"); do
    tp_psql -c "drop database if exists \"$db\"" >/dev/null 2>&1 || true
  done
  in_use=$(curl -fsS -u guest:guest http://127.0.0.1:15672/api/connections 2>/dev/null | grep -o '"vhost":"[^"]*"' | cut -d'"' -f4 | sort -u)
  for vhost in $(curl -fsS -u guest:guest http://127.0.0.1:15672/api/vhosts 2>/dev/null | grep -o '"name":"tp_test_[^"]*"' | cut -d'"' -f4); do
    grep -qx "$vhost" <<<"$in_use" && continue
    curl -fsS -u guest:guest -X DELETE "http://127.0.0.1:15672/api/vhosts/$vhost" >/dev/null 2>&1 || true
  done
}
