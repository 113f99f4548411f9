#!/usr/bin/env bash
# Runs each libFuzzer harness of a fuzz build (`make fuzz`, fuzz/README.md) for a bounded time, one
# after the other.
#   scripts/run-fuzz.sh BUILD SECONDS [HARNESS...]      fuzz; all harnesses when none is named
#   FUZZ_MERGE=1 scripts/run-fuzz.sh BUILD 0 [HARNESS...] minimise fuzz/corpus/<name> and what
#                                                       the runs added into fuzz/corpus/<name>
# Each run reads the committed corpus fuzz/corpus/<name>/ and keeps what it finds in the scratch
# corpus BUILD/corpus/<name>/; an input that crashes, leaks, times out or runs out of memory is
# written to fuzz/crashes/<name>/ for fixing and committing. A line per run is appended to
# BUILD/fuzz.log. Exits 1 when any run found something.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 seconds=$2
shift 2
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for exe in "$build"/bin/fuzz_*; do harnesses+=("${exe##*/fuzz_}"); done
fi
# Stacks with function names and lines.
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)}
status=0
for name in "${harnesses[@]}"; do
  exe=$build/bin/fuzz_$name
  [ -x "$exe" ] || { echo "no harness $exe (build it with make fuzz)" >&2; exit 2; }
  scratch=$build/corpus/$name committed=fuzz/corpus/$name crashes=fuzz/crashes/$name
  mkdir -p "$scratch" "$committed" "$crashes"
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    merged=$build/merged/$name
    rm -rf "$merged" && mkdir -p "$merged"
    # Edges only (-use_counters=0), not hit counts: a corpus small enough for CI to replay under the
    # sanitizers on every run.
    "$exe" -merge=1 -use_counters=0 "$merged" "$committed" "$scratch" 2>"$build/$name.merge.log" >/dev/null
    rm -f "$committed"/* && cp "$merged"/* "$committed"/
    echo "$name: $(ls "$committed" | wc -l) inputs, $(du -sk "$committed" | cut -f1) KiB"
    continue
  fi
  log=$build/$name.log
  echo "fuzzing $name for ${seconds}s (log: $log)"
  start=$SECONDS
  set +e
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$scratch" "$committed" >"$log" 2>&1
  code=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  found=$(sed -n 's/.*Test unit written to //p' "$log" | tr '\n' ' ')
  line="$(date -u +%FT%TZ) $name $((SECONDS - start))s execs=${execs:-?} exit=$code ${found:+found: $found}"
  echo "$line" | tee -a "$build/fuzz.log"
  [ $code -eq 0 ] || status=1
done
exit $status
