#!/usr/bin/env bash
# Soak (issue 18): 500 simulated buyers browsing, searching and ordering for 10 minutes against
# one release server on loopback (SQLite, the full demo catalog). Prints the error rate, p50/p95/p99
# per route and the server's memory after warm-up and at the end (server/benches/soak.rs).
#   bench/soak.sh [--buyers N] [--seconds S]
source "$(dirname "$0")/../scripts/lib.sh"
buyers=500; seconds=600
while (($#)); do
  case "$1" in
    --buyers) buyers="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
  esac
  shift
done
"$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
SOAK_BUYERS="$buyers" SOAK_SECONDS="$seconds" cargo bench -q -p server --bench soak
