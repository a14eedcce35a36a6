#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, exported as
# TEST_POSTGRES_URL; the cluster is stopped and deleted afterwards. Tests run
# it without fsync; benchmarks set PG_FSYNC=on for real durability.
#   scripts/with-postgres.sh cargo test
set -euo pipefail

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (run scripts/setup.sh)" >&2; exit 1; }

dir="$(mktemp -d /tmp/oxcart-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres --locale=C -E UTF8 >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=300" start >/dev/null

export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
# The test helpers fail, rather than fall back to SQLite, if the URL goes missing.
export OXCART_TEST_ENGINE=postgres
echo "PostgreSQL test cluster on 127.0.0.1:$port" >&2
"$@"
