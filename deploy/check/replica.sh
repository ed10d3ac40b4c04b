#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster on another port, for the replica check
# (and for trying KHOI_REPLICA_URL on one machine). Run as root or as postgres.
#
#   deploy/check/replica.sh start [PORT] [DIR]   # pg_basebackup, then start it as a hot standby
#   deploy/check/replica.sh stop  [PORT] [DIR]   # stop it and delete its directory
#
# Allows replication connections from 127.0.0.1 in the primary's pg_hba.conf (trust, as the
# local cluster already trusts loopback) when no such line exists.
set -euo pipefail

ACTION=${1:-start}
PORT=${2:-5433}
DIR=${3:-/tmp/khoi-replica-$PORT}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PGBIN=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin

as_pg() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary() {
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc "$1"
}

case "$ACTION" in
start)
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then
        if [[ $(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc 'SELECT pg_is_in_recovery()') == t ]]; then
            echo "replica already running on port $PORT"
            exit 0
        fi
        echo "port $PORT is taken by a server that is not a replica" >&2
        exit 1
    fi
    HBA=$(primary 'SHOW hba_file')
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
        echo "allowing replication from 127.0.0.1 in $HBA"
        echo "host replication all 127.0.0.1/32 trust" >>"$HBA"
        primary 'SELECT pg_reload_conf()' >/dev/null
    fi
    rm -rf "$DIR"
    install -d -m 700 "$DIR"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$DIR"
    START=$SECONDS
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DIR" \
        -R -X stream -c fast
    # Debian keeps the configuration outside the data directory: give the copy its own. A
    # standby needs these limits at least as high as the primary's. fsync is off because
    # this copy is thrown away (it also skips a long sync of the copied files at start).
    {
        echo "port = $PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$DIR'"
        echo "hot_standby = on"
        echo "fsync = off"
        echo "shared_buffers = 32MB"
        for name in max_connections max_worker_processes max_wal_senders \
            max_prepared_transactions max_locks_per_transaction; do
            echo "$name = $(primary "SHOW $name")"
        done
    } >"$DIR/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DIR/pg_hba.conf"
    : >"$DIR/pg_ident.conf"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$DIR"/*.conf
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 180 start >/dev/null
    echo "replica on port $PORT (from $PRIMARY_PORT) in $((SECONDS - START))s: $DIR"
    ;;
stop)
    if [[ -f $DIR/postmaster.pid ]]; then
        as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
    fi
    rm -rf "$DIR"
    echo "replica on port $PORT stopped"
    ;;
*)
    echo "usage: $0 start|stop [PORT] [DIR]" >&2
    exit 2
    ;;
esac
