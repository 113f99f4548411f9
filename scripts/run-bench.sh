#!/usr/bin/env bash
# `make bench`: every benchmark, each printing its figures beside its same-run baseline.
set -euo pipefail
build=${1:-build}
cmake --build "$build" --target bench_plugins_startup_run bench_scoring_run bench_serve_run
