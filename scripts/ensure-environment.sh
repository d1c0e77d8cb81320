#!/usr/bin/env bash
# Makes sure this machine has what the tests need, and says exactly what is missing when it cannot
# fix it itself:
#   - PostgreSQL answering on 127.0.0.1:5432 with a database "test" (unless DATABASE_URL points elsewhere),
#   - Redis answering on 127.0.0.1:6379, and redis-cli (unless REDIS_URL points elsewhere),
#   - Debian's Chromium at /usr/bin/chromium, for the dashboard's browser tests,
#   - pgbouncer, which the connection-pooler tests start on a port of their own.
# A service that is installed but stopped is started; what is not installed is installed from
# Debian's packages when running as root with apt-get. Otherwise it stops with the command to run.
#
# `npm test` runs it first (its pretest step) and so does .ci/run. When everything is there it only
# probes, which takes a fraction of a second.
#
#   bash scripts/ensure-environment.sh            check, start, install
#   bash scripts/ensure-environment.sh --dry-run  print what it would do, change nothing
#
# For its own tests (scripts/ensure-environment.test.ts) these can be overridden:
#   CHROMIUM_PATH (default /usr/bin/chromium), POSTGRES_CONFIG_DIR (default /etc/postgresql),
#   ENSURE_ENVIRONMENT_SBIN (default /usr/sbin:/usr/local/sbin, appended to PATH to find pgbouncer),
#   ENSURE_ENVIRONMENT_WAIT_SECONDS (default 60: how long a started service may take to answer).
set -euo pipefail

DEFAULT_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test'
DEFAULT_REDIS_URL='redis://127.0.0.1:6379'
# The command that starts Redis on this kind of machine: loopback only, nothing kept on disk.
REDIS_START=(redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no
  --dir /var/lib/redis --logfile /var/log/redis/ci.log)

dry_run="${ENSURE_ENVIRONMENT_DRY_RUN:-0}"
[ "${1:-}" = "--dry-run" ] && dry_run=1
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
postgres_config_dir="${POSTGRES_CONFIG_DIR:-/etc/postgresql}"
wait_seconds="${ENSURE_ENVIRONMENT_WAIT_SECONDS:-60}"
PATH="$PATH:${ENSURE_ENVIRONMENT_SBIN-/usr/sbin:/usr/local/sbin}"

export DEBIAN_FRONTEND=noninteractive

say() { printf 'ensure-environment: %s\n' "$*"; }
run() {
  if [ "$dry_run" = 1 ]; then
    say "would run: $*"
  else
    "$@"
  fi
}
has() { command -v "$1" >/dev/null 2>&1; }

# The local servers are ours to manage only when the tests use the defaults.
manage_postgres=0
manage_redis=0
[ "${DATABASE_URL:-$DEFAULT_DATABASE_URL}" = "$DEFAULT_DATABASE_URL" ] && manage_postgres=1
[ "${REDIS_URL:-$DEFAULT_REDIS_URL}" = "$DEFAULT_REDIS_URL" ] && manage_redis=1

postgres_answers() { has pg_isready && pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
redis_answers() { has redis-cli && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
port_open() { (: >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }
# Without its client we cannot ask the server itself; something listening on its port will do.
postgres_up() { postgres_answers || { ! has pg_isready && port_open 5432; }; }
redis_up() { redis_answers || { ! has redis-cli && port_open 6379; }; }
postgres_version() { ls "$postgres_config_dir" 2>/dev/null | sort -V | tail -n 1; }
postgres_installed() { [ -n "$(postgres_version)" ] && [ -d "$postgres_config_dir/$(postgres_version)/main" ]; }
emoji_font_installed() { has fc-list && fc-list 2>/dev/null | grep -qi 'color emoji'; }

# --- What is missing -------------------------------------------------------------------------
packages=()
need() {
  local package
  for package in "$@"; do
    [[ " ${packages[*]-} " == *" $package "* ]] || packages+=("$package")
  done
}

start_postgres=0
start_redis=0
if [ "$manage_postgres" = 1 ]; then
  has pg_isready || need postgresql-client
  if ! postgres_up; then
    postgres_installed || need postgresql
    start_postgres=1
  fi
fi
if [ "$manage_redis" = 1 ]; then
  has redis-cli || need redis-tools
  if ! redis_up; then
    has redis-server || need redis-server
    start_redis=1
  fi
fi
# The emoji font only makes the dashboard's screenshots readable (✅ / ⚠️); no test depends on it.
[ -x "$chromium" ] || need chromium fonts-noto-color-emoji
has pgbouncer || need pgbouncer

can_install=0
[ "$(id -u)" = 0 ] && has apt-get && can_install=1

if [ "${#packages[@]}" -eq 0 ] && [ "$start_postgres" = 0 ] && [ "$start_redis" = 0 ]; then
  if ! emoji_font_installed && [ "$can_install" = 1 ]; then
    say "installing fonts-noto-color-emoji (readable emoji in the dashboard's screenshots)"
    run apt-get update -qq
    run apt-get install -y -qq fonts-noto-color-emoji
  fi
  exit 0
fi

# --- What we cannot do ourselves: say exactly what to do -------------------------------------
if [ "$can_install" = 0 ]; then
  {
    say "the tests need things this machine does not have, and this script can only install them as root with apt-get."
    if [ "${#packages[@]}" -gt 0 ]; then
      echo "Install these Debian packages (on another system: the same programs under its own names):"
      echo "  sudo apt-get install -y ${packages[*]}"
    fi
    if [ "$start_postgres" = 1 ]; then
      echo "Then start PostgreSQL (trusted local connections, user postgres, a database named test):"
      echo "  sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
      echo "  psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test'"
    fi
    if [ "$start_redis" = 1 ]; then
      echo "Then start Redis:"
      echo "  ${REDIS_START[*]}"
    fi
    [ -x "$chromium" ] || echo "Chromium must be at $chromium (set CHROMIUM_PATH to use another binary)."
    echo "Or point DATABASE_URL and REDIS_URL at servers of your own."
  } >&2
  exit 1
fi

# --- Install, then start ---------------------------------------------------------------------
if [ "${#packages[@]}" -gt 0 ]; then
  say "installing ${packages[*]}"
  run apt-get update -qq
  run apt-get install -y -qq "${packages[@]}"
fi

wait_until() {
  local what="$1"
  shift
  [ "$dry_run" = 1 ] && return 0
  local waited=0
  until "$@"; do
    if [ "$waited" -ge "$wait_seconds" ]; then
      say "$what did not answer within ${wait_seconds} s" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

if [ "$start_postgres" = 1 ] && ! postgres_answers; then
  version="$(postgres_version)"
  # Installed just now in a dry run: Debian would have created the cluster; name it generically.
  [ -n "$version" ] || version='<version>'
  say "starting PostgreSQL $version"
  # The tests connect as postgres over loopback without a password.
  hba="$postgres_config_dir/$version/main/pg_hba.conf"
  if [ -f "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    run sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  run pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_until PostgreSQL postgres_answers
fi
if [ "$start_postgres" = 1 ] && [ "$dry_run" = 0 ]; then
  if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc 'CREATE DATABASE test'
  fi
fi

if [ "$start_redis" = 1 ] && ! redis_answers; then
  say "starting Redis"
  run mkdir -p /var/lib/redis /var/log/redis
  run "${REDIS_START[@]}"
  wait_until Redis redis_answers
fi
