#!/usr/bin/env bash
# Regenerates each assessments/<role>/<name>.cohort.jsonl from <name>.toml with the documented
# defaults and fails, naming the file, when the committed one differs.
# ASSAY_UPDATE_GOLDEN=1 rewrites them instead.
set -euo pipefail
assay=$1
root=$2
found=0 stale=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for cohort in "$root"/*/*.cohort.jsonl; do
  [ -e "$cohort" ] || continue
  found=$((found + 1))
  toml=${cohort%.cohort.jsonl}.toml
  "$assay" cohort "$toml" --out "$tmp"
  if [ "${ASSAY_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp" "$cohort"
  elif ! cmp -s "$tmp" "$cohort"; then
    echo "stale: $cohort differs from 'assay cohort $toml'" >&2
    echo "  hint: regenerate with ASSAY_UPDATE_GOLDEN=1 ctest -R cohorts, and review the diff" >&2
    stale=$((stale + 1))
  fi
done
echo "$found cohorts checked, $stale stale"
[ "$found" -gt 0 ] && [ "$stale" -eq 0 ]
