#!/usr/bin/env bash
# Builds the browser bundle (WASM with the wasm-release profile, wasm-bindgen, wasm-opt, CSS,
# precompressed copies) into target/site/pkg, and the server (release unless --debug).
# This is what `cargo leptos build --release` does, without needing cargo-leptos installed.
source "$(dirname "$0")/lib.sh"

profile=release
[[ "${1:-}" == "--debug" ]] && profile=dev

log "building the browser bundle (wasm-release profile)"
(cd "$ROOT" && cargo build --quiet -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release)
pkg="$SITE_ROOT/pkg"
mkdir -p "$pkg"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name portal \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The features rustc's wasm32 target enables by default; wasm-opt must accept them all.
"$ROOT/scripts/tools/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$pkg/portal_bg.wasm" -o "$pkg/portal_bg.opt.wasm"
mv "$pkg/portal_bg.opt.wasm" "$pkg/portal_bg.wasm"
cp "$ROOT/style/main.css" "$pkg/portal.css"
for f in "$pkg"/portal.js "$pkg"/portal_bg.wasm "$pkg"/portal.css; do
  brotli -f -q 11 -k "$f"
  gzip -f -9 -k "$f"
done

log "building the server ($profile)"
(cd "$ROOT" && cargo build --quiet -p server --profile "$profile")
