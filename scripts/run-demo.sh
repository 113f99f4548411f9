#!/usr/bin/env bash
# `make run`: the main job on the embedded defaults.
set -euo pipefail
build=${1:-build}
assay="$build/bin/assay"
echo "== plugins"
"$assay" plugins
for lib in "$build"/bin/plugins/*.so; do
  echo "== plugin-check $(basename "$lib")"
  "$assay" plugin-check "$lib"
done
