#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its figures beside its same-run baseline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build=${1:-build}
# The stats benchmark times eRm in the same run (issue 17): install it when missing and allowed.
if ! Rscript -e 'library(eRm)' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y r-base-core r-cran-erm >/dev/null || true
  else
    echo "note: R with eRm is missing: the stats benchmark skips its baseline (apt-get install r-base-core r-cran-erm)"
  fi
fi
# The serve benchmark runs two servers on one PostgreSQL beside one on SQLite (issue 20): a
# throwaway cluster of its own, stopped at the end whatever happens.
pg_state="$(cd "$build" && pwd)/pg-bench"
trap '"$here/pg-cluster.sh" stop "$pg_state" >/dev/null 2>&1 || true' EXIT
if url="$("$here/pg-cluster.sh" start "$pg_state" 2>/dev/null | tail -n 1)" && [ -n "$url" ]; then
  export ASSAY_BENCH_PG_URL="$url"
else
  echo "note: no PostgreSQL cluster could be started: the serve benchmark runs on SQLite only"
fi
cmake --build "$build" --target bench_plugins_startup_run bench_scoring_run bench_serve_run bench_stats_run
# Several servers are for a database with cores of its own: the serve benchmark once more with
# PostgreSQL on the last CPU alone and everything else (clients, servers, plugin workers; the SQLite
# server of the same run too) on the others.
cpus=$(nproc)
if [ -n "${ASSAY_BENCH_PG_URL:-}" ] && [ "$cpus" -ge 2 ] && command -v taskset >/dev/null; then
  "$here/pg-cluster.sh" stop "$pg_state" >/dev/null 2>&1 || true
  if url="$(ASSAY_PG_CPUS=$((cpus - 1)) "$here/pg-cluster.sh" start "$pg_state" 2>/dev/null | tail -n 1)" && [ -n "$url" ]; then
    rest="0-$((cpus - 2))"
    [ "$cpus" -eq 2 ] && rest=0
    echo "serve benchmark again, PostgreSQL on CPU $((cpus - 1)) alone, everything else on CPUs $rest:"
    ASSAY_BENCH_PG_URL="$url" taskset -c "$rest" "$build/bin/bench_serve" "$build/bin/plugins"
  fi
fi
