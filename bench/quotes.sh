#!/usr/bin/env bash
# Quotes at size (issue 15): a 200-line quote requested by buyer@acme.example and one by
# kenji@kanto.example (Japanese), each offered by the desk; release build, SQLite. Prints the
# quote page's answer time and its PDF's (p50/p95 of sequential requests) and the PDFs' sizes.
#   bench/quotes.sh [--lines N]
source "$(dirname "$0")/../scripts/lib.sh"
lines=200
while (($#)); do
  case "$1" in
    --lines) lines="$2"; shift ;;
  esac
  shift
done
server_bin="${PORTAL_SERVER:-$CARGO_TARGET_DIR/release/server}"
[[ -n "${PORTAL_SERVER:-}" ]] || [[ -x "$server_bin" && -f "$SITE_ROOT/pkg/assets.txt" ]] || "$ROOT/scripts/build.sh"

tmp="$(mktemp -d /tmp/portal-bench.XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
APP_PORT="$port" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" APP_MAIL_OUTBOX="$tmp/outbox" \
  RUST_LOG=warn "$server_bin" >"$tmp/server.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; do sleep 0.2; done
log "release server with the demo data; $lines-line quotes for Acme (USD, English) and Kanto (JPY, Japanese)"

python3 - "http://127.0.0.1:$port" "$lines" <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request, uuid
base, lines = sys.argv[1], int(sys.argv[2])

def session(email):
    data = urllib.parse.urlencode({"email": email, "password": "portal-demo-2026", "next": "/catalog"}).encode()
    req = urllib.request.Request(base + "/api/auth/login", data=data, method="POST",
                                 headers={"origin": base, "accept": "application/json"})
    resp = urllib.request.urlopen(req)
    cookie = [v.split(";")[0] for k, v in resp.headers.items() if k.lower() == "set-cookie" and v.startswith("portal_session=")][0]
    return cookie

def call(cookie, endpoint, form):
    req = urllib.request.Request(base + "/api/" + endpoint, data=urllib.parse.urlencode(form).encode(), method="POST",
                                 headers={"origin": base, "accept": "application/json", "cookie": cookie,
                                          "content-type": "application/x-www-form-urlencoded"})
    return json.load(urllib.request.urlopen(req))

def multipart(cookie, endpoint, fields):
    boundary = "bench" + uuid.uuid4().hex
    body = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode() for k, v in fields)
    body += f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(base + "/api/" + endpoint, data=body, method="POST",
                                 headers={"origin": base, "accept": "application/json", "cookie": cookie,
                                          "content-type": f"multipart/form-data; boundary={boundary}"})
    return json.load(urllib.request.urlopen(req))

def skus(cookie, n):
    out, page = [], 1
    while len(out) < n:
        listing = call(cookie, "catalog/list", {"page": page})
        if not listing["products"]:
            break
        for p in listing["products"]:
            product = call(cookie, "catalog/product", {"slug": p["slug"]})
            out += [v["sku"] for v in product["variants"]]
        page += 1
    return out[:n]

def timed(cookie, path, n):
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        req = urllib.request.Request(base + path, headers={"cookie": cookie, "accept": "text/html"})
        size = len(urllib.request.urlopen(req).read())
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95) - 1], size

staff = session("staff@northwind.example")
for email, label in [("buyer@acme.example", "Acme, English"), ("kenji@kanto.example", "Kanto, Japanese")]:
    buyer = session(email)
    wanted = skus(buyer, lines)
    fields = [("key", uuid.uuid4().hex)]
    for i, sku in enumerate(wanted):
        fields += [(f"sku_{i}", sku), (f"quantity_{i}", "100")]
    number = multipart(buyer, "quotes/request", fields)
    desk = call(staff, "staff/quote", {"number": number})
    offer = {"number": number, "version": desk["quote"]["version"], "valid_until": desk["default_valid_until"]}
    for i, l in enumerate(desk["draft"]):
        offer[f"lines[{i}][line]"] = l["line_no"]
        offer[f"lines[{i}][quantity]"] = l["quantity"]
        offer[f"lines[{i}][price]"] = "12.34" if not email.startswith("kenji") else "1234"
    call(staff, "staff/offer", offer)
    p50, p95, size = timed(buyer, f"/quotes/{number}", 40)
    print(f"{label}: {len(wanted)}-line quote {number}: page p50 {p50:.1f} ms, p95 {p95:.1f} ms, {size} B of HTML")
    p50, p95, size = timed(buyer, f"/quotes/{number}/pdf/1", 20)
    print(f"{label}: its PDF (revision 1): p50 {p50:.1f} ms, p95 {p95:.1f} ms, {size} B")
PY
