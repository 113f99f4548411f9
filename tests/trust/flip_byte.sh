#!/bin/sh
# flip_byte.sh FILE: changes the byte in the middle of FILE (its lowest bit), in place.
set -eu
file=$1
size=$(stat -c %s "$file")
offset=$((size / 2))
old=$(od -An -tu1 -j "$offset" -N1 "$file" | tr -d ' ')
new=$((old ^ 1))
# shellcheck disable=SC2059
printf "$(printf '\\%03o' "$new")" | dd of="$file" bs=1 seek="$offset" conv=notrunc status=none
