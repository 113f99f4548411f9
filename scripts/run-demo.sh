#!/usr/bin/env bash
# `make run`: the main job on the shipped defaults. Lists the plugins, validates the shipped
# assessments, scores each sample cohort, writes its HTML report, and shows what to try next.
set -euo pipefail
build=${1:-build}
assay="$build/bin/assay"
out="$build/demo"
mkdir -p "$out"

section() { printf '\n== %s\n' "$1"; }

section "plugins"
"$assay" plugins

section "validate the shipped assessments"
"$assay" validate assessments

for cohort in assessments/*/*.cohort.jsonl; do
  [ -e "$cohort" ] || continue
  role=$(basename "$(dirname "$cohort")")
  name=$(basename "$cohort" .cohort.jsonl)
  stem="$out/$role-$name"
  section "score $role/$name ($(wc -l <"$cohort") candidates)"
  "$assay" score "$cohort" --out "$stem.results.jsonl" --csv "$stem.summary.csv"
  "$assay" report "$stem.results.jsonl" --html "$stem.report.html" >"$stem.summary.txt"
  sed -n '1,12p' "$stem.summary.txt"
  echo "  ... (the whole summary: $stem.summary.txt)"
  reports+=("$stem.report.html")
done

section "reports"
for r in "${reports[@]}"; do echo "  $r"; done

cat <<'NEXT'

== next
  assay take                                  practise a role's assessment in the terminal
  assay take --history                        your past results and the trend per competency
  assay preview assessments/cybersecurity-analyst/practice.toml ITEM --key   an item as a candidate sees it
  assay report FILE.results.jsonl --candidate ID   one candidate's report with feedback
  assay serve                                 screening campaigns in the browser (prints a set-up link)
  assay help                                  every command
NEXT
