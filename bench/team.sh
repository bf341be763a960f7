#!/usr/bin/env bash
# /team at size (issue 13): Acme with 2,000 generated members (APP_DEMO_TEAM_MEMBERS), release
# build, SQLite. Prints the page's answer time (p50/p95 of sequential requests, then wrk at 8
# connections), the size of the page and of its data (team/members JSON), a search, and the time
# from a role change on one app server to the member's next request seeing it on a second one.
#   bench/team.sh [--members N]
source "$(dirname "$0")/../scripts/lib.sh"
members=2000
while (($#)); do
  case "$1" in
    --members) members="$2"; shift ;;
  esac
  shift
done
command -v wrk >/dev/null || { log "installing wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { log "installing sqlite3"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
server_bin="${PORTAL_SERVER:-$CARGO_TARGET_DIR/release/server}"
[[ -n "${PORTAL_SERVER:-}" ]] || [[ -x "$server_bin" && -f "$SITE_ROOT/pkg/assets.txt" ]] || "$ROOT/scripts/build.sh"

tmp="$(mktemp -d /tmp/portal-bench.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
url="sqlite://$tmp/bench.db?mode=rwc"
start_server() { # port
  APP_PORT="$1" APP_SITE_ROOT="$SITE_ROOT" DATABASE_URL="$url" APP_DEMO_TEAM_MEMBERS="$members" \
    APP_MAIL_OUTBOX="$tmp/outbox" RUST_LOG=warn "$server_bin" >>"$tmp/server-$1.log" 2>&1 &
  pids+=($!)
  until curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1; do sleep 0.2; done
}
a="$(free_port)"; b="$(free_port)"
log "starting two release servers on one SQLite database, Acme with $members extra members"
start_server "$a"
start_server "$b"
A="http://127.0.0.1:$a"; B="http://127.0.0.1:$b"
login() { # base email
  curl -fsS -D - -o /dev/null -H "origin: $1" -H 'accept: application/json' \
    --data "email=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$2")&password=portal-demo-2026&next=%2Fcatalog" \
    "$1/api/auth/login" | sed -n 's/^set-cookie: \(portal_session=[0-9a-f]*\).*/\1/ip' | head -1
}
admin="$(login "$A" admin@acme.example)"
[[ -n "$admin" ]] || { echo "login failed"; exit 1; }

total=$(curl -fsS -H "cookie: $admin" -H 'accept: application/json' -H "origin: $A" -X POST "$A/api/team/members" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "members in Acme: $total (50 per page)"
times() { # url
  for _ in $(seq 1 60); do curl -fsS -o /dev/null -w '%{time_total}\n' -H "cookie: $admin" -H 'accept: text/html' "$1"; done |
    sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms, p95 %.1f ms (%d sequential requests)\n", a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, NR}'
}
log "GET /team (first page)"
times "$A/team"
log "GET /team?q=chen (search by name)"
times "$A/team?q=chen"
log "GET /team?page=40"
times "$A/team?page=40"
log "wrk GET /team, 8 connections, 10 s"
wrk -t2 -c8 -d10s -H "cookie: $admin" -H 'accept: text/html' -s "$ROOT/bench/p95.lua" "$A/team" | tail -1
html=$(curl -fsS -H "cookie: $admin" -o /dev/null -w '%{size_download}' "$A/team")
br=$(curl -fsS -H "cookie: $admin" -H 'accept-encoding: br' -o /dev/null -w '%{size_download}' "$A/team")
data=$(curl -fsS -H "cookie: $admin" -H 'accept: application/json' -H "origin: $A" -X POST -o /dev/null -w '%{size_download}' "$A/api/team/members")
echo "size of /team: HTML $html B ($br B brotli); its data (team/members JSON, one page): $data B"

log "a role change on server A, seen by the member's next request on server B"
member="$(login "$B" member.0001@acme.example)"
read -r id version < <(sqlite3 "$tmp/bench.db" "SELECT m.id, m.version FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = 'member.0001@acme.example'" | tr '|' ' ')
finance=$(sqlite3 "$tmp/bench.db" "SELECT id FROM roles WHERE company_id IS NULL AND code = 'finance'")
curl -fsS -o /dev/null -H "cookie: $member" -H 'accept: application/json' -H "origin: $B" -X POST "$B/api/orders/checkout"
python3 - "$A" "$B" "$admin" "$member" "$id" "$version" "$finance" <<'PY'
import sys, time, urllib.request
A, B, admin, member, mid, version, role = sys.argv[1:]
def post(base, cookie, path, data=b""):
    req = urllib.request.Request(base + path, data=data, method="POST",
        headers={"cookie": cookie, "accept": "application/json", "origin": base,
                 "content-type": "application/x-www-form-urlencoded"})
    try:
        return urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        return e.code
t0 = time.perf_counter()
assert post(A, admin, "/api/team/update_member", f"member={mid}&role={role}&version={version}".encode()) == 200
t1 = time.perf_counter()
status = post(B, member, "/api/orders/checkout")
t2 = time.perf_counter()
print(f"role change answered in {(t1-t0)*1000:.1f} ms; the member's next request on server B "
      f"answered {status} (403 = the new role applies) {(t2-t1)*1000:.1f} ms later; "
      f"change to enforced: {(t2-t0)*1000:.1f} ms")
PY
