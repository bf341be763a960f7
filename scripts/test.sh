#!/usr/bin/env bash
# README command 2: install what is missing and run every test: unit, integration against SQLite
# and against a throwaway PostgreSQL cluster (started and removed here), end-to-end in Chromium.
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/bootstrap.sh" --test
cd "$ROOT"

tmp="$(mktemp -d /tmp/portal-test.XXXXXX)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  pg_stop "$tmp/pg" immediate
  rm -rf "$tmp"
}
trap cleanup EXIT

"$ROOT/scripts/supply-chain.sh"

log "unit tests (app, with the server features)"
cargo test --quiet -p app --features ssr

# Test databases, outboxes and server logs go to temp_dir(): $tmp, removed at exit.
log "integration tests on SQLite"
TMPDIR="$tmp" cargo test --quiet -p server

log "integration tests on PostgreSQL (throwaway cluster)"
pg_url="$(pg_start "$tmp/pg")"
TMPDIR="$tmp" TEST_DB=postgres TEST_PG_URL="$pg_url" cargo test --quiet -p server --test api
pg_stop "$tmp/pg"

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
