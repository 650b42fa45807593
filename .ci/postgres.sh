# shellcheck shell=bash
# Sourced by .ci/run: starts a throwaway PostgreSQL server for pgstore's
# tests and exports RAPPORT_PG_DSN (and, for the restart test, a second
# server's RAPPORT_PG_RESTART_DSN and RAPPORT_PG_RESTART, the command that
# restarts it). The server listens on 127.0.0.1 only, on a free port,
# with its data in a temporary directory; an EXIT trap stops it and removes
# the directory. A RAPPORT_PG_DSN already set is used as it is (no server is
# started). Works on a fresh Debian machine: the server binaries are
# installed with apt-get when /usr/lib/postgresql/*/bin/postgres is absent.

if [ -n "${RAPPORT_PG_DSN:-}" ]; then
  echo "== postgres: using the RAPPORT_PG_DSN already set"
  return 0 2>/dev/null || exit 0
fi

echo "== postgres: starting a throwaway server"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/postgres" ]; then
  if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# initdb and postgres refuse to run as root: run them as an unprivileged
# user (a dedicated one, created when missing).
pg_user=$(id -un)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  pg_user=rapport-ci
  if ! id "$pg_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  fi
  as_pg=(runuser -u "$pg_user" --)
fi

# rapport_pg_start: initdb a cluster in a fresh temporary directory and
# start it on a free port; sets pg_dir and pg_port.
rapport_pg_start() {
  pg_dir=$(mktemp -d /tmp/rapport-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown "$pg_user" "$pg_dir"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U rapport -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
    { cat "$pg_dir/initdb.log"; exit 1; }
  # A free port: try random ones until the server starts on one.
  pg_port=
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 20000))
    if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then continue; fi
    if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c max_connections=200 -c fsync=off -c full_page_writes=off" >/dev/null; then
      pg_port=$port
      break
    fi
  done
  if [ -z "$pg_port" ]; then
    echo "postgres: could not start a server"; cat "$pg_dir/server.log"; exit 1
  fi
}

# The server every test shares.
rapport_pg_start
pg_main_dir=$pg_dir
export RAPPORT_PG_DSN="postgres://rapport@127.0.0.1:$pg_port/postgres?sslmode=disable"
echo "postgres: $("$pg_bin/postgres" --version) on 127.0.0.1:$pg_port (data in $pg_dir)"

# A second server for pgstore's restart test alone, which stops it abruptly
# (as a crash would) and starts it again on the same port: restarting the
# shared one would fail the other packages' tests running beside it.
rapport_pg_start
pg_restart_dir=$pg_dir
export RAPPORT_PG_RESTART_DSN="postgres://rapport@127.0.0.1:$pg_port/postgres?sslmode=disable"
export RAPPORT_PG_RESTART="${as_pg[*]} $pg_bin/pg_ctl -D $pg_restart_dir/data -l $pg_restart_dir/server.log -w -t 60 -m immediate restart"
echo "postgres: the restart test's own server on 127.0.0.1:$pg_port"

rapport_pg_stop() {
  for d in "$pg_main_dir" "$pg_restart_dir"; do
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$d/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$d"
  done
}
trap rapport_pg_stop EXIT
