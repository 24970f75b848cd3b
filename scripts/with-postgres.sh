#!/usr/bin/env bash
# Runs a command with TRUSTDESK_TEST_DATABASE_URL pointing at a PostgreSQL server.
# If the variable is already set, that server is used; otherwise a throwaway cluster is
# created in a temporary folder on a free port and removed afterwards.
set -euo pipefail

if [ -n "${TRUSTDESK_TEST_DATABASE_URL:-}" ]; then
  exec "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL server binaries not found: install the Debian package 'postgresql' (or set TRUSTDESK_TEST_DATABASE_URL)." >&2
  exit 1
fi

dir=$(mktemp -d /tmp/trustdesk-pg.XXXXXX)
port=${TRUSTDESK_TEST_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${TRUSTDESK_TEST_PG_FSYNC:-off} -c max_connections=200" start >/dev/null

export TRUSTDESK_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "throwaway PostgreSQL on port $port" >&2
"$@"
