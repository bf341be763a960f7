#!/usr/bin/env bash
# Benchmark of the signed-in catalog page (48 products with resolved prices) on the 100,000-SKU
# demo catalog: requests/s and p95 at 32 connections (wrk, release build), on SQLite and, with
# --postgres, on a throwaway PostgreSQL cluster; plus the first-load transfer size of /catalog.
#   bench/catalog.sh [--postgres] [--products N] [--duration 20s]
source "$(dirname "$0")/../scripts/lib.sh"
products=33334   # ≈ 100,000 SKUs (3 variants each)
duration=20s
backend=sqlite
while (($#)); do
  case "$1" in
    --postgres) backend=postgres ;;
    --products) products="$2"; shift ;;
    --duration) duration="$2"; shift ;;
  esac
  shift
done
command -v wrk >/dev/null || { log "installing wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
# PORTAL_SERVER / PORTAL_SITE run another build (an older one, to compare) instead.
server_bin="${PORTAL_SERVER:-$CARGO_TARGET_DIR/release/server}"
SITE_ROOT="${PORTAL_SITE:-$SITE_ROOT}"
[[ -n "${PORTAL_SERVER:-}" ]] || [[ -x "$server_bin" && -f "$SITE_ROOT/pkg/assets.txt" ]] || "$ROOT/scripts/build.sh"

tmp="$(mktemp -d /tmp/portal-bench.XXXXXX)"
server_pid=""
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  [[ -f "$tmp/pg/postmaster.pid" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

if [[ $backend == postgres ]]; then
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  mkdir -p "$tmp/pg" && chown postgres "$tmp" "$tmp/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$tmp/pg" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/log" -w -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1 -c shared_buffers=512MB" start >/dev/null
  url="postgres://postgres@127.0.0.1:$pg_port/postgres"
else
  url="sqlite://$tmp/bench.db?mode=rwc"
fi

log "starting the release server on $backend with $products products (generation included)"
start=$(date +%s%N)
APP_PORT="$port" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="$url" APP_DEMO_CATALOG_PRODUCTS="$products" \
  APP_DB_MAX_CONNECTIONS=16 RUST_LOG=warn,app::backend::catalog::store=info "$server_bin" >"$tmp/server.log" 2>&1 &
server_pid=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.2
done
echo "start-up with catalog generation: $(( ($(date +%s%N) - start) / 1000000 )) ms"
grep -o 'catalog read model loaded.*' "$tmp/server.log" || true

base="http://127.0.0.1:$port"
cookie="$(curl -fsS -D - -o /dev/null -H "origin: $base" -H 'accept: application/json' \
  --data 'email=buyer%40acme.example&password=portal-demo-2026&next=%2Fcatalog' "$base/api/auth/login" |
  sed -n 's/^set-cookie: \(portal_session=[0-9a-f]*\).*/\1/ip' | head -1)"
[[ -n "$cookie" ]] || { echo "login failed"; exit 1; }
skus="$(curl -fsS -H "cookie: $cookie" "$base/catalog" | grep -o 'class="sku"' | wc -l)"
echo "catalog page rows: $skus"

log "warm-up"
wrk -t2 -c32 -d3s -H "cookie: $cookie" -H 'accept: text/html' "$base/catalog" >/dev/null
log "GET /catalog, 32 connections, $duration ($backend)"
wrk -t2 -c32 -d"$duration" -H "cookie: $cookie" -H 'accept: text/html' -s "$ROOT/bench/p95.lua" "$base/catalog" | tail -1
log "GET /catalog?page=40&category=fasteners, 32 connections, $duration ($backend)"
wrk -t2 -c32 -d"$duration" -H "cookie: $cookie" -H 'accept: text/html' -s "$ROOT/bench/p95.lua" "$base/catalog?page=40&category=fasteners" | tail -1

rss() { awk '/^(VmRSS|RssAnon|RssFile)/ {printf "%s %d MB  ", $1, $2/1024}' "/proc/$server_pid/status"; echo; }
echo "server memory after the runs: $(rss)(RssFile is SQLite's memory-mapped database file)"

if [[ $backend == sqlite ]]; then
  log "first-load transfer of /catalog (brotli where offered)"
  html=$(curl -fsS -H "cookie: $cookie" -H 'accept-encoding: br' -o /dev/null -w '%{size_download}' "$base/catalog")
  # Every bundle file the page names (a page without islands names only the stylesheet).
  total=$html
  line="html=$html"
  for asset in $(curl -fsS -H "cookie: $cookie" "$base/catalog" | grep -o '/pkg/[A-Za-z0-9_.-]*' | sort -u); do
    n=$(curl -fsS -H 'accept-encoding: br' -o /dev/null -w '%{size_download}' "$base$asset")
    total=$((total + n))
    line="$line $(basename "$asset")=$n"
  done
  echo "$line total=$total bytes"
fi
