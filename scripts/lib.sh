# Shared settings for the scripts. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Cargo builds go to a directory outside the clone, reused between clones and runs on the same
# machine (a fresh CI clone would otherwise rebuild everything).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/portal-target}"
# The built site (WASM, JS, CSS) lives inside the clone: the server serves it from here.
SITE_ROOT="$ROOT/target/site"
WASM_BINDGEN_VERSION="0.2.130"   # must equal the wasm-bindgen crate in Cargo.lock
CARGO_DENY_VERSION="0.20.2"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A throwaway PostgreSQL cluster in folder $1 (fsync off, loopback only): `pg_start DIR` prints its
# admin URL; `pg_stop DIR [fast|immediate]` stops it. PostgreSQL refuses to run as root, so as root
# the cluster runs as the postgres user.
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() {
  local dir="$1" port
  port="$(free_port)"
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres "$(dirname "$dir")" "$dir"
  as_pg "$(pg_bin)/initdb" -D "$dir" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  as_pg "$(pg_bin)/pg_ctl" -D "$dir" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=1000" start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}
pg_stop() {
  [[ -f "$1/postmaster.pid" ]] && as_pg "$(pg_bin)/pg_ctl" -D "$1" -m "${2:-fast}" stop >/dev/null 2>&1 || true
}
