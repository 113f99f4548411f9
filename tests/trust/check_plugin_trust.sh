#!/usr/bin/env bash
# check_plugin_trust.sh ASSAY PLUGIN_DIR WORK_DIR
set -u
assay_built=$1 plugin_dir=$2 work=$3
rm -rf "$work" && mkdir -p "$work/bin/plugins" "$work/keys" "$work/data" && chmod 755 "$work" "$work/bin" "$work/bin/plugins"
cp "$assay_built" "$work/bin/assay" && cp "$plugin_dir"/*.so "$work/bin/plugins/" || exit 99
chmod 755 "$work"/bin/plugins/*.so
assay=$work/bin/assay
unset ASSAY_PLUGIN_PATH ASSAY_TRUSTED_KEYS ASSAY_REQUIRE_SIGNED ASSAY_PLUGIN_LOCK
export NO_COLOR=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() {  # expect WHAT FILE TEXT: FILE contains TEXT
  grep -qF -- "$3" "$2" || { fail "$1: expected '$3' in:"; sed 's/^/    /' "$2"; }
}
refute() {
  ! grep -qF -- "$3" "$2" || { fail "$1: did not expect '$3' in:"; sed 's/^/    /' "$2"; }
}
flip_byte() { sh "$(dirname "$0")/flip_byte.sh" "$1"; }

"$assay" plugin-sign --new-key "$work/keys/provider" --comment "Example Training Ltd" >"$work/newkey.out" || fail "new key"
expect "new key" "$work/newkey.out" "wrote $work/keys/provider.key"
[[ $(stat -c %a "$work/keys/provider.key") == 600 ]] || fail "the secret key is not mode 600"
mkdir -p "$work/trusted" && cp "$work/keys/provider.pub" "$work/trusted/"
"$assay" plugin-sign --new-key "$work/keys/provider" >"$work/again.out" 2>&1 && fail "a key was replaced"
expect "key kept" "$work/again.out" "already exists"
for lib in "$work"/bin/plugins/*.so; do
  "$assay" plugin-sign "$lib" --key "$work/keys/provider.key" >/dev/null || fail "signing $lib"
done

# Trusted: all four load, each shown as signed.
"$assay" plugins --require-signed --trusted-keys "$work/trusted" >"$work/trusted.out" 2>"$work/trusted.err" ||
  fail "require-signed with the key trusted exited $?"
[[ $(grep -c "signed by trusted key .* (Example Training Ltd)" "$work/trusted.out") == 4 ]] || fail "not all four signed: $(cat "$work/trusted.out")"
# The same through the environment.
ASSAY_REQUIRE_SIGNED=1 ASSAY_TRUSTED_KEYS="$work/trusted" "$assay" plugins >/dev/null 2>&1 || fail "ASSAY_REQUIRE_SIGNED with ASSAY_TRUSTED_KEYS"

# Not trusted: every one refused, by name and reason.
"$assay" plugins --require-signed >"$work/untrusted.out" 2>"$work/untrusted.err" && fail "untrusted plugins loaded"
for name in core_items cybersecurity device_maintenance ehr_admin; do
  expect "untrusted" "$work/untrusted.err" "$work/bin/plugins/lib$name.so: error: refused: signed by key"
done
expect "untrusted" "$work/untrusted.out" "no plugins loaded"

# One byte changed: that file alone is refused; serve says which loaded.
flip_byte "$work/bin/plugins/libehr_admin.so"
"$assay" plugins --require-signed --trusted-keys "$work/trusted" >"$work/changed.out" 2>"$work/changed.err" && fail "a changed file loaded"
expect "changed" "$work/changed.err" "libehr_admin.so: error: refused: its signature is not valid: the file changed after it was signed"
refute "changed" "$work/changed.out" "ehr-admin"
expect "changed" "$work/changed.out" "cybersecurity 1.2"

cat >"$work/serve.toml" <<TOML
# assay serve --config
listen = "127.0.0.1:0"
data-dir = "$work/data"
require-signed = true
trusted-keys = ["$work/trusted"]
TOML
timeout 3 "$assay" serve --config "$work/serve.toml" >"$work/serve.out" 2>"$work/serve.err"
expect "serve" "$work/serve.err" "libehr_admin.so: error: refused: its signature is not valid"
expect "serve" "$work/serve.err" "assay serve: plugins loaded: core-items"
expect "serve" "$work/serve.err" "(each signed by a trusted key)"
refute "serve" "$work/serve.err" "ehr-admin 1."
expect "serve" "$work/serve.out" "assay serve: listening on http://127.0.0.1:"
timeout 3 "$assay" serve --listen 127.0.0.1:0 --data-dir "$work/data" --require-signed >/dev/null 2>"$work/serve-untrusted.err"
expect "serve untrusted" "$work/serve-untrusted.err" "assay serve: plugins loaded: none"

# A lock pins the bytes: written from what loads now, it refuses the next change.
cp "$plugin_dir/libehr_admin.so" "$work/bin/plugins/" && chmod 755 "$work/bin/plugins/libehr_admin.so"
"$assay" plugins --lock "$work/plugins.lock" >/dev/null 2>"$work/lock.err" || fail "writing the lock"
expect "lock" "$work/lock.err" "locked 4 plugins"
"$assay" plugins --plugin-lock "$work/plugins.lock" >/dev/null 2>&1 || fail "the lock refused what it was written from"
flip_byte "$work/bin/plugins/libcore_items.so"
"$assay" plugins --plugin-lock "$work/plugins.lock" >/dev/null 2>"$work/locked.err" && fail "a changed file passed the lock"
expect "lock" "$work/locked.err" "libcore_items.so: error: refused: the plugin lock $work/plugins.lock pins core-items"

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "plugin trust: all checks passed"
