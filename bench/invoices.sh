#!/usr/bin/env bash
# Invoices at size (issue 16), release build, SQLite: the PDF of a 3-line and a 200-line invoice
# in Japanese and Arabic (p50/p95 of sequential requests, size), and /invoices with 10,000
# invoices for one company (p50/p95). The 200-line invoice and the 10,000 invoices are written
# with SQL beside the demo's (copies of Acme's demo invoice lines), then the read model and the
# pages see them like any other.
#   bench/invoices.sh [--invoices N]
source "$(dirname "$0")/../scripts/lib.sh"
many=10000
while (($#)); do
  case "$1" in
    --invoices) many="$2"; shift ;;
  esac
  shift
done
command -v sqlite3 >/dev/null || { log "installing sqlite3"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
server_bin="${PORTAL_SERVER:-$CARGO_TARGET_DIR/release/server}"
[[ -n "${PORTAL_SERVER:-}" ]] || [[ -x "$server_bin" && -f "$SITE_ROOT/pkg/assets.txt" ]] || "$ROOT/scripts/build.sh"

tmp="$(mktemp -d /tmp/portal-bench.XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
start() {
  APP_PORT="$port" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" APP_MAIL_OUTBOX="$tmp/outbox" \
    RUST_LOG=warn "$server_bin" >>"$tmp/server.log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.2; done
}
start
kill "$pid"; wait "$pid" 2>/dev/null || true
log "a 200-line invoice and $many more invoices for Acme Builders (SQL)"
sqlite3 "$tmp/bench.db" <<SQL
-- A 200-line invoice: Acme's first invoice's lines, repeated.
INSERT INTO invoices (company_id, order_id, shipment_id, status, currency, payment_terms, issued_on, due_on, total_minor, paid_minor, created_at)
  SELECT company_id, order_id, NULL, 'open', currency, payment_terms, issued_on, due_on, 0, 0, created_at
  FROM invoices WHERE id = (SELECT MIN(id) FROM invoices WHERE company_id = (SELECT id FROM companies WHERE name = 'Acme Builders'));
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200),
  src AS (SELECT l.*, ROW_NUMBER() OVER (ORDER BY l.line_no) AS r, COUNT(*) OVER () AS c FROM invoice_lines l
          WHERE l.invoice_id = (SELECT MIN(id) FROM invoices WHERE company_id = (SELECT id FROM companies WHERE name = 'Acme Builders')))
INSERT INTO invoice_lines (invoice_id, line_no, sku, name, unit, quantity, unit_price_minor, line_total_minor)
  SELECT (SELECT MAX(id) FROM invoices), n.i, s.sku, s.name, s.unit, s.quantity, s.unit_price_minor, s.line_total_minor
  FROM n JOIN src s ON s.r = ((n.i - 1) % s.c) + 1;
UPDATE invoices SET total_minor = (SELECT SUM(line_total_minor) FROM invoice_lines WHERE invoice_id = invoices.id)
  WHERE id = (SELECT MAX(id) FROM invoices);
-- $many small invoices over the past two years.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $many)
INSERT INTO invoices (company_id, order_id, shipment_id, status, currency, payment_terms, issued_on, due_on, total_minor, paid_minor, created_at)
  SELECT f.company_id, f.order_id, NULL, CASE WHEN n.i % 3 = 0 THEN 'paid' ELSE 'open' END, f.currency, f.payment_terms,
         f.issued_on - (n.i % 700), f.issued_on - (n.i % 700) + 30, 10000 + n.i, CASE WHEN n.i % 3 = 0 THEN 10000 + n.i ELSE 0 END, f.created_at
  FROM n, (SELECT * FROM invoices WHERE id = (SELECT MIN(id) FROM invoices WHERE company_id = (SELECT id FROM companies WHERE name = 'Acme Builders'))) f;
SQL
big=$(sqlite3 "$tmp/bench.db" "SELECT MAX(id) FROM invoices WHERE id IN (SELECT invoice_id FROM invoice_lines GROUP BY invoice_id HAVING COUNT(*) = 200)")
small=$(sqlite3 "$tmp/bench.db" "SELECT invoice_id FROM invoice_lines GROUP BY invoice_id HAVING COUNT(*) >= 3 ORDER BY COUNT(*), invoice_id LIMIT 1")
small_lines=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = $small")
total=$(sqlite3 "$tmp/bench.db" "SELECT COUNT(*) FROM invoices WHERE company_id = (SELECT id FROM companies WHERE name = 'Acme Builders')")
start
python3 - "http://127.0.0.1:$port" "$big" "$small" "$total" "$small_lines" <<'PY'
import sys, time, urllib.parse, urllib.request
base, big, small, total, small_lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3] or 0), sys.argv[4], sys.argv[5]

def session(email):
    data = urllib.parse.urlencode({"email": email, "password": "portal-demo-2026", "next": "/catalog"}).encode()
    resp = urllib.request.urlopen(urllib.request.Request(base + "/api/auth/login", data=data, method="POST",
                                  headers={"origin": base, "accept": "application/json"}))
    return [v.split(";")[0] for k, v in resp.headers.items() if k.lower() == "set-cookie" and v.startswith("portal_session=")][0]

def set_locale(cookie, locale):
    urllib.request.urlopen(urllib.request.Request(base + "/api/prefs/set_locale", data=f"locale={locale}".encode(), method="POST",
                           headers={"origin": base, "accept": "application/json", "cookie": cookie,
                                    "content-type": "application/x-www-form-urlencoded"}))

def timed(cookie, path, n):
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        size = len(urllib.request.urlopen(urllib.request.Request(base + path, headers={"cookie": cookie, "accept": "text/html"})).read())
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1], size

finance = session("finance@acme.example")
for locale in ["ja", "ar"]:
    set_locale(finance, locale)
    for label, inv in [(f"{small_lines}-line", small), ("200-line", big)]:
        if not inv:
            continue
        p50, p95, size = timed(finance, f"/invoices/INV-{inv + 200000}/pdf", 20)
        print(f"{locale}: {label} invoice PDF: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {size} B")
set_locale(finance, "en")
for path in ["/invoices", "/invoices?overdue=1", "/invoices?q=PO-2026"]:
    p50, p95, size = timed(finance, path, 40)
    print(f"{path} with {total} invoices: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {size} B of HTML")
PY
