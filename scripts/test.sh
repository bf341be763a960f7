#!/usr/bin/env bash
# README command 2: install what is missing and run every test: unit, integration against SQLite
# and against a throwaway PostgreSQL cluster (started and removed here), end-to-end in Chromium.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/bootstrap.sh" --test
cd "$ROOT"

tmp="$(mktemp -d /tmp/portal-test.XXXXXX)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  if [[ -f "$tmp/pg/postmaster.pid" ]]; then
    runuser_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run the cluster as an unprivileged user when we are root.
runuser_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$ROOT/scripts/supply-chain.sh"

log "unit tests (app, with the server features)"
cargo test --quiet -p app --features ssr

log "integration tests on SQLite"
cargo test --quiet -p server

log "integration tests on PostgreSQL (throwaway cluster)"
pg_port="$(free_port)"
mkdir -p "$tmp/pg"
[[ $(id -u) -eq 0 ]] && chown postgres "$tmp" "$tmp/pg"
runuser_pg "$pg_bin/initdb" -D "$tmp/pg" -U postgres -A trust --no-sync -E UTF8 >/dev/null
runuser_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/log" -w \
  -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000" start >/dev/null
TEST_DB=postgres TEST_PG_URL="postgres://postgres@127.0.0.1:$pg_port/postgres" cargo test --quiet -p server --test api
runuser_pg "$pg_bin/pg_ctl" -D "$tmp/pg" -m fast stop >/dev/null

log "end-to-end tests in Chromium"
"$ROOT/scripts/build.sh" --debug
port="$(free_port)"
APP_PORT="$port" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="sqlite://$tmp/e2e.db?mode=rwc" APP_MAIL_OUTBOX="$tmp/outbox" \
  "$CARGO_TARGET_DIR/debug/server" >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.2
done
(cd "$ROOT/end2end" && PORTAL_URL="http://127.0.0.1:$port" PORTAL_OUTBOX="$tmp/outbox" npx playwright test)
