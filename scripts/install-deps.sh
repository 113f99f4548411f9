#!/usr/bin/env bash
# Installs the Debian 12 packages Assay needs, if any is missing. As root it runs apt-get;
# otherwise it prints the exact command to run.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config ccache
          libboost1.81-dev libboost-filesystem1.81-dev libtomlplusplus-dev libfmt-dev
          nlohmann-json3-dev libsimdjson-dev libcli11-dev catch2 libsqlite3-dev libpq-dev postgresql libcpp-httplib-dev libssl-dev libsodium-dev
          libre2-dev libicu-dev libpugixml-dev libzip-dev clang-format)
[ "${ASSAY_EXTRA_PACKAGES:-}" ] && read -r -a extra <<<"$ASSAY_EXTRA_PACKAGES" && packages+=("${extra[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "assay needs these Debian packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
