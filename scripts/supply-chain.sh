#!/usr/bin/env bash
# Supply-chain checks (issue 18), run by scripts/test.sh:
# - Rust: `cargo deny` (deny.toml) for licenses, duplicate versions, wildcard versions and sources,
#   all offline; advisories against the RustSec database, fetched from github.com when reachable,
#   else whatever copy cargo-deny already has (its age is printed), else skipped with a notice.
# - npm (end2end, scripts/tools): `npm audit` when the registry answers it; the packages are pinned
#   by package-lock.json either way.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

log "cargo deny: licenses, bans (duplicate and wildcard versions), sources"
cargo deny --offline check licenses bans sources

db="$HOME/.cargo/advisory-dbs"
if timeout 60 cargo deny fetch db >/dev/null 2>&1 || compgen -G "$db/advisory-db-*/.git" >/dev/null; then
  for d in "$db"/advisory-db-*/; do
    [[ -d "$d/.git" ]] && log "RustSec advisory database as of $(git -C "$d" log -1 --format=%cs) ($d)"
  done
  cargo deny --offline check advisories
else
  log "advisories NOT checked: no RustSec database here and github.com unreachable (run 'cargo deny fetch db' where it is)"
fi

for dir in end2end scripts/tools; do
  rc=0
  out="$(cd "$dir" && timeout 60 npm audit --audit-level=low 2>&1)" || rc=$?
  if ((rc == 0)); then
    log "npm audit ($dir): $(tail -1 <<<"$out")"
  elif ((rc == 124)) || grep -q "audit endpoint returned an error\|ENOTFOUND\|ETIMEDOUT\|EAI_AGAIN" <<<"$out"; then
    log "npm audit ($dir) NOT run: the registry did not answer the audit endpoint ($(grep -m1 'npm error' <<<"$out" || echo timeout))"
  else
    echo "$out"
    exit 1
  fi
done
