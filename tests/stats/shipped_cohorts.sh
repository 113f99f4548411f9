#!/usr/bin/env bash
# shipped_cohorts.sh ASSAY ASSESSMENTS_DIR
# 1. Each shipped screening cohort, scored, gives `assay stats` an item table and reliability.
#    With --model rasch --html, the page holds the item table, a curve per item fitted and the
#    test information, and no candidate id; the HTML report has the same section.
# 2. The biomedical screening with the key of one fixed single-choice item swapped (the right
#    answer "hold" scored as if "condemn" were): the same cohort scored against it flags that item
#    as a possible miskey, and the unchanged assessment does not.
set -euo pipefail
assay=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for cohort in "$root"/*/screening.cohort.jsonl; do
  role=$(basename "$(dirname "$cohort")")
  "$assay" score "$cohort" -o "$tmp/$role.jsonl" >/dev/null
  "$assay" stats "$tmp/$role.jsonl" >"$tmp/$role.txt"
  for want in "facility" "r_it" "Reliability"; do
    if ! grep -q "$want" "$tmp/$role.txt"; then
      echo "$role: 'assay stats' printed no '$want'" >&2
      fail=1
    fi
  done
  "$assay" stats "$tmp/$role.jsonl" --model rasch --html "$tmp/$role.html" >/dev/null
  fitted=$("$assay" stats "$tmp/$role.jsonl" --model rasch --json |
    python3 -c 'import json, sys; print(sum(it["b"] is not None for l in sys.stdin for it in json.loads(l)["items"]))')
  curves=$(grep -o '<svg class="chart icc"' "$tmp/$role.html" | wc -l)
  if [ "$fitted" -eq 0 ] || [ "$curves" -ne "$fitted" ] || ! grep -q 'Test information function' "$tmp/$role.html" ||
    ! grep -q '<table class="items">' "$tmp/$role.html"; then
    echo "$role: 'assay stats --html' drew $curves curves for $fitted items fitted, or no test information or item table" >&2
    fail=1
  fi
  "$assay" report "$tmp/$role.jsonl" --html "$tmp/$role.report.html" >/dev/null
  if ! grep -q '<section class="item-analysis">' "$tmp/$role.report.html"; then
    echo "$role: 'assay report --html' has no item-analysis section" >&2
    fail=1
  fi
  if grep -q -F -f <(python3 -c 'import json, sys; [print(json.loads(l)["candidate_id"]) for l in open(sys.argv[1])]' \
    "$tmp/$role.jsonl") "$tmp/$role.html"; then
    echo "$role: 'assay stats --html' names a candidate" >&2
    fail=1
  fi
done

item=ts-failed-safety-after-repair
mkdir -p "$tmp/swapped/biomedical-technician"
python3 - "$root/biomedical-technician/screening.toml" "$tmp/swapped/biomedical-technician/screening.toml" "$item" <<'PY'
import sys
src, dst, item = sys.argv[1:]
s = open(src, encoding="utf-8").read()
at = s.index(f'id = "{item}"')
key = s.index('correct = "hold"', at)
open(dst, "w", encoding="utf-8").write(s[:key] + 'correct = "condemn"' + s[key + len('correct = "hold"'):])
PY
"$assay" score "$root/biomedical-technician/screening.cohort.jsonl" --assessments "$tmp/swapped" --accept-changed \
  -o "$tmp/swapped.jsonl" >/dev/null
flags() {  # flags of $item in the stats JSON on stdin
  python3 -c 'import json, sys
for line in sys.stdin:
    for it in json.loads(line)["items"]:
        if it["id"] == sys.argv[1]: print(" ".join(it["flags"]))' "$item"
}
swapped=$("$assay" stats "$tmp/swapped.jsonl" --json | flags)
original=$("$assay" stats "$tmp/biomedical-technician.jsonl" --json | flags)
echo "$item flags: swapped key: '$swapped'; original: '$original'"
[[ " $swapped " == *" possible_miskey "* ]] || { echo "the swapped key is not flagged as a possible miskey" >&2; fail=1; }
[[ " $original " != *" possible_miskey "* ]] || { echo "the right key is flagged as a possible miskey" >&2; fail=1; }
exit $fail
