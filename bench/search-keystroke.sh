#!/usr/bin/env bash
# In Chromium on localhost, a keystroke in the header's search box to rendered results (debounce,
# server, render), p50/p95, against the release build on the 100,000-SKU catalog (SQLite); fails
# above 60 ms p95.
#   bench/search-keystroke.sh [--products N]
source "$(dirname "$0")/../scripts/lib.sh"
products=33334
[[ "${1:-}" == "--products" ]] && products="$2"
"$ROOT/scripts/build.sh"
tmp="$(mktemp -d /tmp/portal-keystroke.XXXXXX)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
log "starting the release server with $products products"
APP_PORT="$port" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" APP_DEMO_CATALOG_PRODUCTS="$products" \
  RUST_LOG=warn "$CARGO_TARGET_DIR/release/server" >"$tmp/server.log" 2>&1 &
server_pid=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.3
done
cd "$ROOT/end2end" && PORTAL_URL="http://127.0.0.1:$port" KEYSTROKE_BUDGET_MS=60 \
  npx playwright test search -g "keystroke" --workers 1 2>&1 | grep -E "keystroke to rendered|passed|failed"
