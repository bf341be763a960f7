#!/usr/bin/env bash
# README command 1: install what is missing, build, migrate and load the demo data, and serve the
# portal at http://127.0.0.1:3000 (APP_HOST / APP_PORT / DATABASE_URL override; see README).
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/bootstrap.sh"
"$ROOT/scripts/build.sh"
cd "$ROOT"
export APP_SITE_ROOT="${APP_SITE_ROOT:-$SITE_ROOT}"
log "starting the portal (migrations and demo data run at start-up)"
exec "$CARGO_TARGET_DIR/release/server"
