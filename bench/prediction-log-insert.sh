#!/usr/bin/env bash
# What one prediction-log batch costs PostgreSQL by column type (issue 16 part 5; V12 stores json).
# Starts a throw-away PostgreSQL (the embedded one the service extracted to /tmp/embedded-pg, else
# PG_BIN), writes a batch of BATCH rows shaped like titanic's log rows (7 features, a time, a label:
# in two layouts: "object", each input an object as the writer wrote it until ce83f47, and "array", the feature
# names once and each input the array of their values, as it writes now), and times N inserts of it, as
# PredictionLogRepository sends it ($1::text::TYPE), into a table with that column type; prints wall µs per
# insert and the table's size.
#
#   bench/prediction-log-insert.sh                 # TYPES="text json jsonb" FORMATS="object array" BATCH=1000 N=200
# Env: TYPES, FORMATS, BATCH, N, PG_BIN (a PostgreSQL bin directory), PORT (55432)
set -euo pipefail
bin=${PG_BIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}
[ -x "$bin/initdb" ] || { echo "no PostgreSQL: run the service once (it extracts one to /tmp/embedded-pg) or set PG_BIN" >&2; exit 2; }
port=${PORT:-55432}
N=${N:-200}
work=$(mktemp -d /tmp/prediction-log-insert.XXXX)
chmod 755 "$work"
# initdb refuses to run as root: run the server as nobody then
as_owner() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
mkdir -m 700 "$work/data"; if [ "$(id -u)" = 0 ]; then chown -R nobody "$work"; fi
as_owner "'$bin/initdb' -D '$work/data' -U postgres -A trust >/dev/null"
as_owner "'$bin/pg_ctl' -D '$work/data' -o '-p $port -k $work -c listen_addresses=' -l '$work/log' -w start >/dev/null"
trap 'as_owner "'"'$bin/pg_ctl'"' -D '"'$work/data'"' -m fast stop >/dev/null"; rm -rf "$work"' EXIT
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres postgres "$@"; }

python3 - "${BATCH:-1000}" "$work" <<'PY'
import json, random, sys
n = int(sys.argv[1]); random.seed(1)
rows = [{"Pclass": random.choice([1, 2, 3]), "Sex": random.choice(["male", "female"]), "Age": round(random.uniform(1, 80), 1),
         "SibSp": random.randint(0, 3), "Parch": random.randint(0, 2), "Fare": round(random.uniform(5, 300), 4),
         "Embarked": random.choice("SCQ")} for _ in range(n)]
at = [1764680000000 + i for i in range(n)]; predictions = [random.randint(0, 1) for _ in range(n)]
names = list(rows[0])
with open(sys.argv[2] + "/object.json", "w") as f:
    f.write(json.dumps({"at": at, "inputs": rows, "predictions": predictions}))
with open(sys.argv[2] + "/array.json", "w") as f:
    f.write(json.dumps({"at": at, "features": names, "values": [[r.get(k) for k in names] for r in rows], "predictions": predictions}))
PY
echo "$(psql_ -Atc 'SELECT version()' | cut -d' ' -f1-2); batches of ${BATCH:-1000} rows; $N inserts per type and layout"
inserts() { echo "\\set j \`cat $work/$3.json\`"; for _ in $(seq "$1"); do echo "INSERT INTO pl (rows) VALUES (:'j'::text::$2);"; done; }
for f in ${FORMATS:-object array}; do
  for t in ${TYPES:-text json jsonb}; do
    psql_ -c "DROP TABLE IF EXISTS pl" -c "CREATE TABLE pl (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, rows $t NOT NULL)" 2>/dev/null
    inserts 5 "$t" "$f" | psql_ >/dev/null
    s=$(date +%s%N); inserts "$N" "$t" "$f" | psql_ >/dev/null; e=$(date +%s%N)
    echo "$f ($(wc -c < "$work/$f.json") bytes) as $t: $(( (e - s) / N / 1000 )) µs per insert (wall, one psql session); table $(psql_ -Atc "SELECT pg_size_pretty(pg_total_relation_size('pl'))")"
  done
done
