#!/usr/bin/env bash
# Installs what `make fuzz` needs beyond the build's own packages: clang 16 and its runtime
# (libFuzzer, the sanitizers). Debian 12's default clang (14) cannot compile this tree. The
# installing is scripts/install-deps.sh's, as for the browser tests.
set -euo pipefail
ASSAY_EXTRA_PACKAGES="clang-16 libclang-rt-16-dev" exec "$(dirname "$0")/install-deps.sh"
