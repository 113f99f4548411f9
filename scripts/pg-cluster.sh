#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests (docs/testing.md, "PostgreSQL").
#
#   scripts/pg-cluster.sh start STATE   create and start one; print its URL, write it to STATE/url
#   scripts/pg-cluster.sh env STATE     print `export ASSAY_TEST_STORE=postgresql ASSAY_TEST_PG_URL=...` to eval
#   scripts/pg-cluster.sh stop STATE    stop it and remove every file of it
#
# ASSAY_PG_CPUS (a taskset list, e.g. 1 or 2-3) keeps the server and all its processes on those
# CPUs: the serve benchmark gives the database cores of its own that way (scripts/run-bench.sh).
#
# The cluster lives in a new temporary directory, listens on a Unix socket in that directory only
# (no TCP), and trusts every connection on that socket; STATE (e.g. build/pg-cluster) keeps where
# it is. initdb refuses to run as root, and CI runs as root: as root the cluster is created and run
# as the system user assay-pg (created when missing). The Debian package's own cluster (15/main)
# is neither needed nor touched. When PostgreSQL is missing, it is installed with the other
# packages (scripts/install-deps.sh); when it cannot be started, `start` writes the reason to
# STATE/unavailable, prints it and exits 77: the tests that need the cluster then skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
state="${2:-}"
if [ -z "$cmd" ] || [ -z "$state" ]; then
  echo "usage: $0 start|env|stop STATE_DIR" >&2
  exit 2
fi
run_user=assay-pg

# The newest installed server, or $ASSAY_PG_BINDIR.
find_bindir() {
  if [ -n "${ASSAY_PG_BINDIR:-}" ]; then
    echo "$ASSAY_PG_BINDIR"
    return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$run_user" -- "$@"
  else
    "$@"
  fi
}

unavailable() {
  mkdir -p "$state"
  echo "$1" >"$state/unavailable"
  rm -f "$state/url"
  echo "pg-cluster: PostgreSQL unavailable: $1" >&2
  exit 77
}

# A TCP port nothing listens on: it also names the socket file (.s.PGSQL.PORT).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo 55432
}

start() {
  if [ -f "$state/dir" ]; then stop >/dev/null 2>&1 || true; fi
  mkdir -p "$state"
  rm -f "$state/unavailable" "$state/url" "$state/dir"
  local bindir
  bindir="$(find_bindir || true)"
  if [ -z "$bindir" ]; then
    ASSAY_EXTRA_PACKAGES="postgresql ${ASSAY_EXTRA_PACKAGES:-}" "$here/install-deps.sh" >&2 ||
      unavailable "PostgreSQL is not installed and could not be (install the Debian package postgresql)"
    bindir="$(find_bindir || true)"
    [ -n "$bindir" ] || unavailable "no initdb under /usr/lib/postgresql/*/bin (set ASSAY_PG_BINDIR)"
  fi
  if [ "$(id -u)" -eq 0 ] && ! id "$run_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$run_user" ||
      unavailable "cannot create the system user $run_user to run initdb as"
  fi
  local dir port
  dir="$(mktemp -d "${TMPDIR:-/tmp}/assay-pg.XXXXXX")"
  echo "$dir" >"$state/dir"
  [ "$(id -u)" -eq 0 ] && chown "$run_user" "$dir"
  port="$(free_port)"
  as_owner "$bindir/initdb" -D "$dir/data" -U assay -E UTF8 --locale=C --auth=trust >"$dir/initdb.log" 2>&1 ||
    unavailable "initdb failed: $(tail -3 "$dir/initdb.log" | tr '\n' ' ')"
  # The socket only, trusted; a test cluster: nothing in it survives the run, so no fsync.
  echo "local all all trust" | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  local pin=()
  [ -n "${ASSAY_PG_CPUS:-}" ] && pin=(taskset -c "$ASSAY_PG_CPUS")
  as_owner "${pin[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    unavailable "the server did not start: $(tail -3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
  as_owner "$bindir/psql" -X -q -h "$dir" -p "$port" -U assay -d postgres -c "CREATE DATABASE assay" >/dev/null ||
    unavailable "cannot create the database assay"
  local url="postgresql://assay@/assay?host=$dir&port=$port"
  echo "$bindir" >"$state/bindir"
  echo "$url" >"$state/url"
  echo "$url"
}

stop() {
  [ -f "$state/dir" ] || return 0
  local dir bindir
  dir="$(cat "$state/dir")"
  bindir="$(cat "$state/bindir" 2>/dev/null || find_bindir || true)"
  if [ -n "$bindir" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in
    */assay-pg.*) rm -rf "$dir" ;;
  esac
  rm -f "$state/dir" "$state/url" "$state/bindir" "$state/unavailable"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env)
    if [ -f "$state/url" ]; then
      echo "export ASSAY_TEST_STORE=postgresql ASSAY_TEST_PG_URL='$(cat "$state/url")'"
    else
      echo "pg-cluster: no cluster started in $state" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 start|env|stop STATE_DIR" >&2
    exit 2
    ;;
esac
