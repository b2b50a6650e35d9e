#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster on 127.0.0.1 for the team tests.
#   .ci/postgres.sh start DIR   -> prints the superuser URL on stdout
#   .ci/postgres.sh stop DIR
# Installs the server with apt-get when it is missing. Runs as the unprivileged
# `postgres` user (created by the Debian package), since the server refuses root.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?data directory}

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && echo "$bin"
}

if [ "$action" = stop ]; then
  bin=$(pg_bin) || exit 0
  [ -d "$dir/data" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
  exit 0
fi

if [ -z "$(pg_bin)" ]; then
  echo "installing PostgreSQL with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql postgresql-client >&2
fi
bin=$(pg_bin)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$dir"
chown postgres "$dir"
su postgres -s /bin/sh -c "$bin/initdb -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
