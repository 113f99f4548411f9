#!/usr/bin/env bash
# Golden CLI test: run_case.sh ASSAY CASE_DIR BUILD_DIR SOURCE_DIR WORK_DIR
#
# CASE_DIR holds `args` (one argument per line; `<case>`, `<build>` and `<src>` are replaced by
# the case's working copy, the build directory and the source directory), optional input files
# and an optional `stdin`, and the expected `expected.out`, `expected.err` and `expected.code`.
# The case runs in a fresh copy of CASE_DIR (WORK_DIR), so a command that writes files never
# touches the source tree. In the output, the working copy and CASE_DIR are printed as `<case>`,
# BUILD_DIR as `<build>` and SOURCE_DIR as `<src>`. ASSAY_UPDATE_GOLDEN=1 rewrites the expected
# files instead of comparing (review the diff before committing).
set -u
assay=$1 case_dir=$2 build_dir=$3 src_dir=$4 work=$5

rm -rf "$work" && mkdir -p "$work" && cp -R "$case_dir/." "$work/" || exit 99
rm -f "$work"/expected.out "$work"/expected.err "$work"/expected.code

args=()
if [[ -f "$case_dir/args" ]]; then
  while IFS= read -r line || [[ -n "$line" ]]; do
    line=${line//<case>/$work}
    line=${line//<build>/$build_dir}
    line=${line//<src>/$src_dir}
    args+=("$line")
  done <"$case_dir/args"
fi

stdin=/dev/null
[[ -f "$case_dir/stdin" ]] && stdin="$case_dir/stdin"

# Nothing from the caller's environment shapes the output.
(cd "$work" && env -u ASSAY_PLUGIN_PATH NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC "$assay" "${args[@]}" <"$stdin" \
  >"$work/actual.out" 2>"$work/actual.err")
echo $? >"$work/actual.code"

# Longest paths first: the case copy lives under the build directory, cases under the source.
esc() { printf '%s' "$1" | sed 's/[][\\.*^$|]/\\&/g'; }
normalise() {
  sed -e "s|$(esc "$work")|<case>|g" -e "s|$(esc "$case_dir")|<case>|g" \
      -e "s|$(esc "$build_dir")|<build>|g" -e "s|$(esc "$src_dir")|<src>|g" "$1"
}

status=0
for stream in out err code; do
  normalise "$work/actual.$stream" >"$work/normalised.$stream"
  if [[ "${ASSAY_UPDATE_GOLDEN:-}" == 1 ]]; then
    cp "$work/normalised.$stream" "$case_dir/expected.$stream"
  elif [[ ! -f "$case_dir/expected.$stream" ]]; then
    echo "$case_dir/expected.$stream: missing (run with ASSAY_UPDATE_GOLDEN=1 to write it)"
    status=1
  elif ! diff -u --label "expected.$stream" --label "actual.$stream" "$case_dir/expected.$stream" "$work/normalised.$stream"; then
    status=1
  fi
done
[[ "${ASSAY_UPDATE_GOLDEN:-}" == 1 ]] && echo "updated $case_dir/expected.{out,err,code}"
exit $status
