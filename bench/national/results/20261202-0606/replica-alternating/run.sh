#!/bin/bash
# the replica's effect at 50 users, alternating primary-only and with the replica
cd /work/wt/natload
export PRIMARY_PORT=5440
OUT=/var/tmp/natload/replica2
date -u +%T > $OUT/started
T0=$SECONDS
deploy/check/replica.sh start 5441 > $OUT/replica-start.log 2>&1
echo "basebackup_s $((SECONDS-T0))" >> $OUT/replica-start.log
for i in 1 2; do
  for mode in off on; do
    extra=""
    [ $mode = on ] && extra="--replica-url postgres://postgres@127.0.0.1:5441/postgres"
    psql -h 127.0.0.1 -p 5441 -U postgres -d khoi_national -qAtc "SELECT tup_returned FROM pg_stat_database WHERE datname='khoi_national'" > $OUT/standby-before-$mode-$i
    nice -n -5 .venv/bin/python bench/load/run.py --database-url postgres://postgres@127.0.0.1:5440/postgres --keep khoi_national \
      --field-keys-file /var/tmp/natload/load/field-keys --users 50 --duration 90 --steady --only mix \
      --json $OUT/$mode-$i.json --ports 8116,8117 --nginx-port 8190 --workers 2 --static-root /var/tmp/natload/static-run $extra > $OUT/$mode-$i.log 2>&1
    sleep 2
    psql -h 127.0.0.1 -p 5441 -U postgres -d khoi_national -qAtc "SELECT tup_returned FROM pg_stat_database WHERE datname='khoi_national'" > $OUT/standby-after-$mode-$i
  done
done
deploy/check/replica.sh stop 5441 > $OUT/replica-stop.log 2>&1
date -u +%T > $OUT/finished
