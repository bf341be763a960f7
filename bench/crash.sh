#!/usr/bin/env bash
# Crash safety (issue 18): the release server killed with SIGKILL at random moments while buyers
# place orders, a requester's orders are approved and quotes are accepted and placed; restarted
# each time; then every answered order is checked to exist exactly once, no cart half-emptied,
# no mail lost or doubled (server/benches/crash.rs). On SQLite, then on a throwaway PostgreSQL
# cluster. Prints the counts; exits non-zero if anything is off.
#   bench/crash.sh [--kills N] [--sqlite-only | --postgres-only]
source "$(dirname "$0")/../scripts/lib.sh"
kills=50; engines="sqlite postgres"
while (($#)); do
  case "$1" in
    --kills) kills="$2"; shift ;;
    --sqlite-only) engines="sqlite" ;;
    --postgres-only) engines="postgres" ;;
  esac
  shift
done
"$ROOT/scripts/bootstrap.sh" --test
cd "$ROOT"
tmp="$(mktemp -d /tmp/portal-crash.XXXXXX)"
trap 'pg_stop "$tmp/pg" immediate; rm -rf "$tmp"' EXIT
for engine in $engines; do
  if [[ "$engine" == sqlite ]]; then
    log "crash run on SQLite: $kills kills"
    CRASH_KILLS="$kills" cargo bench -q -p server --bench crash
  else
    log "crash run on PostgreSQL (throwaway cluster): $kills kills"
    CRASH_KILLS="$kills" CRASH_DATABASE_URL="$(pg_start "$tmp/pg")" cargo bench -q -p server --bench crash
    pg_stop "$tmp/pg"
  fi
done
