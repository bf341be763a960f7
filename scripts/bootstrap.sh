#!/usr/bin/env bash
# Installs whatever is missing to build and run the portal (and, with --test, to test it).
# Idempotent: everything already present at the right version is skipped.
source "$(dirname "$0")/lib.sh"

want_test=false
[[ "${1:-}" == "--test" ]] && want_test=true

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if ! $apt_updated; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=true
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# C toolchain for -sys crates, brotli for precompressing the bundle, Node for build tools and tests.
apt_install build-essential pkg-config ca-certificates brotli curl python3
# Fonts the server draws quote and invoice PDFs with, at run time (app/src/backend/pdf): Noto Sans,
# Noto Sans Arabic and Noto Sans CJK, found under PORTAL_FONT_DIR (default /usr/share/fonts).
apt_install fonts-noto-core fonts-noto-cjk
command -v npm >/dev/null || apt_install nodejs npm

# wasm-opt from npm's binaryen (pinned in scripts/tools/package.json): Debian's is too old.
if [[ ! -x "$ROOT/scripts/tools/node_modules/.bin/wasm-opt" || "$ROOT/scripts/tools/package-lock.json" -nt "$ROOT/scripts/tools/node_modules/.package-lock.json" ]]; then
  log "installing build tools (npm ci in scripts/tools)"
  (cd "$ROOT/scripts/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Rust: rustup's toolchain if present, else Debian's (TOOLCHAIN.md's tested fallback).
if ! command -v cargo >/dev/null; then
  log "no cargo on PATH: installing Debian's rustc-web toolchain"
  apt_install rustc-web cargo-web rust-web-src lld
fi

# The wasm32 target: rustup first; without it (or offline), build std for wasm32 with Debian's
# compiler once, as TOOLCHAIN.md describes.
has_wasm_std() { [[ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]] && ls "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib/"libstd-*.rlib >/dev/null 2>&1; }
if ! has_wasm_std; then
  if command -v rustup >/dev/null && rustup target add wasm32-unknown-unknown; then
    :
  else
    log "building the wasm32 standard library with Debian's rustc (one time, about a minute)"
    apt_install rustc-web cargo-web rust-web-src lld
    tmp="$(mktemp -d)"
    (cd "$tmp" && /usr/bin/cargo new --lib --quiet dummy && cd dummy &&
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --quiet --release \
        -Zbuild-std=std,panic_abort,panic_unwind --target wasm32-unknown-unknown)
    dest=/usr/lib/rustlib/wasm32-unknown-unknown/lib
    as_root mkdir -p "$dest"
    find "$tmp/dummy/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libdummy*' -exec cp {} "$dest/" \;
    as_root ln -sf /usr/bin/lld /usr/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld 2>/dev/null || true
    rm -rf "$tmp"
    # One compiler for both halves of the build.
    export PATH="/usr/bin:$PATH"
  fi
fi

# wasm-bindgen CLI, pinned to the crate version (a mismatch breaks the bundle at load time).
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if $want_test; then
  # PostgreSQL server binaries (the tests start a throwaway cluster), Chromium for end-to-end
  # tests, Node for Playwright, poppler-utils (pdftotext, pdfinfo, pdffonts) for the PDF tests.
  apt_install postgresql chromium poppler-utils nginx-light
  # cargo-deny for the supply-chain checks (scripts/supply-chain.sh), from crates.io.
  if [[ "$(cargo deny --version 2>/dev/null || true)" != "cargo-deny $CARGO_DENY_VERSION" ]]; then
    log "installing cargo-deny $CARGO_DENY_VERSION (about 3 minutes, once)"
    cargo install --quiet --locked cargo-deny --version "$CARGO_DENY_VERSION"
  fi
  if [[ ! -d "$ROOT/end2end/node_modules/@playwright/test" || "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]]; then
    log "installing end-to-end test packages (npm ci)"
    # Playwright's own browser download is never used: the tests drive Debian's Chromium.
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
