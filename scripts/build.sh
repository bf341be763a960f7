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
work="$SITE_ROOT/pkg-build"
rm -rf "$work" && mkdir -p "$pkg" "$work"
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name portal \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The features rustc's wasm32 target enables by default; wasm-opt must accept them all.
"$ROOT/scripts/tools/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$work/portal_bg.wasm" -o "$work/portal_bg.opt.wasm"
# wasm-opt does not always make the brotli file smaller: ship whichever is smaller on the wire.
plain_br=$(brotli -c -q 11 "$work/portal_bg.wasm" | wc -c)
opt_br=$(brotli -c -q 11 "$work/portal_bg.opt.wasm" | wc -c)
if ((opt_br <= plain_br)); then mv "$work/portal_bg.opt.wasm" "$work/portal_bg.wasm"; else rm "$work/portal_bg.opt.wasm"; fi
log "wasm brotli: $plain_br B without wasm-opt, $opt_br B with -Oz; shipping the smaller"
cp "$ROOT/style/main.css" "$work/portal.css"

# Content-hashed names, cached for a year by browsers (server/src/startup.rs); the server reads
# the names from assets.txt.
rm -f "$pkg"/portal*
: >"$work/assets.txt"
for pair in js:portal.js wasm:portal_bg.wasm css:portal.css; do
  kind="${pair%%:*}" file="${pair#*:}"
  hash="$(sha256sum "$work/$file" | cut -c1-16)"
  name="${file%.*}.$hash.${file##*.}"
  mv "$work/$file" "$pkg/$name"
  brotli -f -q 11 -k "$pkg/$name"
  gzip -f -9 -k "$pkg/$name"
  echo "$kind $name" >>"$work/assets.txt"
done
mv "$work/assets.txt" "$pkg/assets.txt"
rm -rf "$work"

log "building the server ($profile)"
(cd "$ROOT" && cargo build --quiet -p server --profile "$profile")
