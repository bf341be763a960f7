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
