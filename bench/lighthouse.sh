#!/usr/bin/env bash
# Lighthouse in mobile mode (its default: a mid-range phone, simulated slow 4G and CPU) on the
# pages a buyer opens all day, signed in as buyer@acme.example, on the release build with the
# demo data: prints performance, accessibility and best-practices scores with LCP, TBT and CLS.
#   bench/lighthouse.sh            (builds the release server if it is missing)
#   PORTAL_SERVER=… PORTAL_SITE=… bench/lighthouse.sh   (another build, e.g. an older one to compare)
source "$(dirname "$0")/../scripts/lib.sh"
server_bin="${PORTAL_SERVER:-$CARGO_TARGET_DIR/release/server}"
site="${PORTAL_SITE:-$SITE_ROOT}"
[[ -n "${PORTAL_SERVER:-}" ]] || [[ -x "$server_bin" && -f "$site/pkg/assets.txt" ]] || "$ROOT/scripts/build.sh"
lh="$ROOT/bench/lighthouse"
if [[ ! -x "$lh/node_modules/.bin/lighthouse" || "$lh/package-lock.json" -nt "$lh/node_modules/.package-lock.json" ]]; then
  log "installing lighthouse (npm ci in bench/lighthouse)"
  (cd "$lh" && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp="$(mktemp -d /tmp/portal-lighthouse.XXXXXX)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
APP_PORT="$port" APP_SITE_ROOT="$site" DATABASE_URL="sqlite://$tmp/lh.db?mode=rwc" APP_MAIL_OUTBOX="$tmp/outbox" \
  RUST_LOG=warn "$server_bin" >"$tmp/server.log" 2>&1 &
server_pid=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log"; exit 1; }
  sleep 0.2
done
base="http://127.0.0.1:$port"
cookie="$(curl -fsS -D - -o /dev/null -H "origin: $base" -H 'accept: application/json' \
  --data 'email=buyer%40acme.example&password=portal-demo-2026&next=%2Fcatalog' "$base/api/auth/login" |
  sed -n 's/^set-cookie: \(portal_session=[0-9a-f]*\).*/\1/ip' | head -1)"
[[ -n "$cookie" ]] || { echo "login failed"; exit 1; }
product="$(curl -fsS -H "cookie: $cookie" "$base/catalog" | grep -o 'href="/products/[^"]*"' | head -1 | cut -d'"' -f2)"
# Something in the cart, so /cart shows lines.
sku="$(curl -fsS -H "cookie: $cookie" "$base$product" | grep -o 'name="lines\[0\]\[sku\]" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
curl -fsS -o /dev/null -H "cookie: $cookie" -H "origin: $base" -H 'accept: application/json' \
  --data "lines[0][sku]=$sku&lines[0][quantity]=10" "$base/api/cart/add" || true

printf '%-28s %5s %5s %5s %8s %8s %6s\n' page perf a11y bp LCP TBT CLS
for path in /catalog "$product" /cart /quick-order; do
  "$lh/node_modules/.bin/lighthouse" "$base$path" --quiet --output=json --output-path="$tmp/report.json" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-path=/usr/bin/chromium \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$tmp/chrome" \
    --extra-headers="{\"Cookie\":\"$cookie\"}" >/dev/null 2>"$tmp/lh.log" || { cat "$tmp/lh.log"; exit 1; }
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, a = r.audits;
    const s = (k) => Math.round(c[k].score * 100);
    console.log(process.argv[2].padEnd(28).slice(0, 28),
      String(s("performance")).padStart(5), String(s("accessibility")).padStart(5), String(s("best-practices")).padStart(5),
      a["largest-contentful-paint"].displayValue.padStart(8), a["total-blocking-time"].displayValue.padStart(8),
      a["cumulative-layout-shift"].displayValue.padStart(6));
    for (const k of ["accessibility", "best-practices"]) for (const ref of c[k].auditRefs) {
      const au = a[ref.id]; if (ref.weight > 0 && au.score !== null && au.score < 1) console.log("   ", k, "-", au.id + ":", au.title);
    }' "$tmp/report.json" "$path"
done
