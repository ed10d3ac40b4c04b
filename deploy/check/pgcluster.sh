#!/usr/bin/env bash
# A throw-away PostgreSQL cluster of its own on another port: for the fault checks (which stop,
# restart and freeze the database server — never do that to the shared cluster on 5432) and
# for trying the national benchmark (bench/national/run_all.py) in small mode. Run as root or
# as postgres.
#
#   deploy/check/pgcluster.sh start PORT [DIR]   # initdb, then start it (trust on loopback)
#   deploy/check/pgcluster.sh stop  PORT [DIR]   # stop it and delete its directory
#   deploy/check/pgcluster.sh pgbin              # print the server's bin directory
#
# fsync is off: the cluster is thrown away after the check.
set -euo pipefail

ACTION=${1:-}
PORT=${2:-5450}
DIR=${3:-/tmp/khoi-pgcluster-$PORT}
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin

as_pg() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$ACTION" in
start)
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
        echo "port $PORT is taken by a running server" >&2
        exit 1
    fi
    rm -rf "$DIR"
    install -d -m 700 "$DIR"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$DIR"
    as_pg "$PGBIN/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    {
        echo "port = $PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$DIR'"
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
        echo "shared_buffers = 64MB"
        echo "max_connections = 100"
    } >>"$DIR/postgresql.conf"
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
    echo "throw-away cluster on port $PORT: $DIR"
    ;;
stop)
    if [[ -f $DIR/postmaster.pid ]]; then
        as_pg "$PGBIN/pg_ctl" -D "$DIR" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$DIR"
    echo "throw-away cluster on port $PORT stopped"
    ;;
pgbin)
    echo "$PGBIN"
    ;;
*)
    echo "usage: $0 start|stop PORT [DIR] | pgbin" >&2
    exit 2
    ;;
esac
