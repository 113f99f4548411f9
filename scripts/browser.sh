#!/usr/bin/env bash
# Makes sure Debian's headless browser for the end-to-end tests (tests/browser/) is installed:
# the `chromium` and `chromium-driver` packages, nothing downloaded from anywhere else.
# As root it runs apt-get (through install-deps.sh); otherwise it prints the exact command.
#
#   scripts/browser.sh           install if missing, then print the chromedriver path
#   scripts/browser.sh --check   exit 0 when both are installed, 1 otherwise (installs nothing)
set -euo pipefail
packages=(chromium chromium-driver)
if [ "${1:-}" = "--check" ]; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      { echo "missing Debian package: $p" >&2; exit 1; }
  done
  exit 0
fi
ASSAY_EXTRA_PACKAGES="${packages[*]}" "$(dirname "$0")/install-deps.sh"
command -v chromedriver
