#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server for the tests, from Debian's
# packages (initdb/pg_ctl in a temporary directory, loopback only).
#   postgres_fixture.sh start DIR   -> writes the server's URL to DIR/url
#   postgres_fixture.sh stop DIR
# Tests run with fsync off (speed); benchmarks set VOX_TEST_POSTGRES_FSYNC=on
# to measure what a production server does.
set -euo pipefail

action=${1:?start or stop}
dir=${2:?directory}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found (install the postgresql package: scripts/setup does)" >&2
  exit 1
fi

# The server refuses to run as root; use the postgres account the package creates.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The server's files live under /tmp, which the server account can always
# reach (a build tree under /root may not be); DIR/server names the place.
server_dir() { cat "$dir/server" 2>/dev/null || true; }

case "$action" in
start)
  old=$(server_dir)
  if [ -n "$old" ] && [ -f "$dir/url" ] && as_server_user "$bindir/pg_ctl" -D "$old/data" status >/dev/null 2>&1; then
    exit 0  # already running (a re-run of the fixture)
  fi
  "$0" stop "$dir"
  mkdir -p "$dir"
  server=$(mktemp -d /tmp/vox-test-postgres.XXXXXX)
  chmod 755 "$server"
  echo "$server" >"$dir/server"
  mkdir -p "$server/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$server"; fi
  if ! as_server_user "$bindir/initdb" -D "$server/data" -A trust -U vox --no-sync -E UTF8 >"$dir/initdb.log" 2>&1; then
    echo "initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + (RANDOM % 20000)))
    if as_server_user "$bindir/pg_ctl" -D "$server/data" -l "$server/server.log" -w -t 30 \
        -o "-p $port -k $server/socket -c listen_addresses=127.0.0.1 -c fsync=${VOX_TEST_POSTGRES_FSYNC:-off} -c max_connections=200" \
        start >/dev/null 2>&1; then
      as_server_user "$bindir/createdb" -h 127.0.0.1 -p "$port" -U vox vox_test
      echo "postgresql://vox@127.0.0.1:$port/vox_test" >"$dir/url"
      chmod a+r "$dir/url"
      echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port"
      exit 0
    fi
  done
  echo "PostgreSQL did not start; its log:" >&2
  cat "$server/server.log" >&2 || true
  exit 1
  ;;
stop)
  old=$(server_dir)
  if [ -n "$old" ] && [ -d "$old/data" ]; then
    as_server_user "$bindir/pg_ctl" -D "$old/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$old" ]; then rm -rf "$old"; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
