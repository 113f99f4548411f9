#!/usr/bin/env bash
# Makes sure Debian's headless browser for the end-to-end tests (tests/browser/) is installed:
# the `chromium` and `chromium-driver` packages, nothing downloaded from anywhere else.
# As root it runs apt-get; otherwise it prints the exact command to run.
#
#   scripts/browser.sh           install if missing, then print the chromedriver path
#   scripts/browser.sh --check   exit 0 when both are installed, 1 otherwise (installs nothing)
set -euo pipefail
packages=(chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
  [ "${1:-}" = "--check" ] && { echo "missing Debian packages: ${missing[*]}" >&2; exit 1; }
  if [ "$(id -u)" -ne 0 ]; then
    echo "the browser tests need these Debian packages: ${missing[*]}" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromedriver
