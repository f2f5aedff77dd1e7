#!/usr/bin/env bash
# The registry page of issue 16 part 6: GET /api/registry/models?limit=20 (20 entries with ALL their
# versions: 10,395 versions, ~4.6 MB) over the 100,000 versions of bench/registry-seed.sql plus the V5
# metadata of bench/registry-metadata.sql, on the packaged service (embedded PostgreSQL, loopback).
# Interleaved in one loop, REPS rounds of:
#   ping   GET /api/ping (the trivial endpoint: HTTP + curl floor)
#   cold   the page right after a registry change (an UPDATE of one alias' updated_at through psql,
#          outside the timed request): every replica must re-read it from PostgreSQL
#   warm   the same page again, nothing changed in between
# and, for each kind, the service's CPU time per request (utime+stime of the JVM over a block of
# REPS requests) and the page query's EXPLAIN (ANALYZE, BUFFERS) execution time (steady under load).
#   ./mvnw package -DskipTests && bench/registry-page.sh
# Env: REPS (default 15), PORT (default 8283), XMX (default 512m), JFR=1 (record cold pages, print hot methods).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /tmp/registry-page-bench.XXXX)
port=${PORT:-8283}
REPS=${REPS:-15}
XMX=${XMX:-512m}
api="http://127.0.0.1:$port/api"
page="$api/registry/models?limit=20"

MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR="$work/db" \
  "$JAVA_HOME/bin/java" -Xmx$XMX ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Dquarkus.http.port=$port \
  -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 240); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
pg_port=$(grep -o 'Embedded PostgreSQL started on port [0-9]*' "$work/service.log" | grep -o '[0-9]*$')
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h localhost -p "$pg_port" -U postgres postgres "$@"; }
psql_ -f bench/registry-seed.sql >/dev/null
psql_ -f bench/registry-metadata.sql >/dev/null
psql_ -c 'VACUUM ANALYZE' >/dev/null
change() { psql_ -c "UPDATE model_version_alias SET updated_at = clock_timestamp() WHERE alias = (SELECT min(alias) FROM model_version_alias)" >/dev/null; }

ms() { curl -s -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.2f\n", $1 * 1000}'; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }
cpu_ms() { awk '{printf "%d", ($14 + $15) * 1000 / 100}' "/proc/$pid/stat"; }   # USER_HZ = 100

for _ in $(seq 5); do curl -s -o /dev/null "$api/ping"; change; curl -s -o /dev/null "$page"; curl -s -o /dev/null "$page"; done
bytes=$(curl -s -o "$work/page.json" -w '%{size_download}' "$page")
versions=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d), sum(len(e['versions']) for e in d))" "$work/page.json")

: > "$work/ping"; : > "$work/cold"; : > "$work/warm"
for _ in $(seq "$REPS"); do
  ms "$api/ping" >> "$work/ping"
  change; ms "$page" >> "$work/cold"
  ms "$page" >> "$work/warm"
done
# CPU time of the JVM per request, one block per kind (the psql change runs outside the JVM)
c0=$(cpu_ms); for _ in $(seq "$REPS"); do curl -s -o /dev/null "$api/ping"; done
c1=$(cpu_ms); for _ in $(seq "$REPS"); do change; curl -s -o /dev/null "$page"; done
c2=$(cpu_ms); for _ in $(seq "$REPS"); do curl -s -o /dev/null "$page"; done
c3=$(cpu_ms)
if [ "${JFR:-0}" = 1 ]; then
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=page settings=profile filename="$work/page.jfr" >/dev/null
  for _ in $(seq 20); do change; curl -s -o /dev/null "$page"; done
  "$JAVA_HOME/bin/jcmd" "$pid" JFR.stop name=page >/dev/null
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$work/page.jfr" | head -30
fi
# the page's SQL as RegistryRepository builds it (bench/registry-metadata.sh's new_page): EXPLAIN ANALYZE
# execution and planning time, and psql's time with the rows sent to /dev/null
TRAINING=$(sed -n '/^TRAINING="/,/"$/p' bench/registry-metadata.sh | sed '1s/^TRAINING="//; $s/"$//')
TUNING=$(sed -n '/^TUNING="/,/"$/p' bench/registry-metadata.sh | sed '1s/^TUNING="//; $s/"$//')
eval "$(sed -n '/^new_page() {/,/^}/p' bench/registry-metadata.sh)"
new_page "" | sed 's/;$//' > "$work/page.sql"
ex=$(for _ in 1 2 3 4 5; do psql_ -A -t -c "EXPLAIN (ANALYZE, BUFFERS) $(cat "$work/page.sql")" | grep -E 'Execution Time' | grep -o '[0-9.]*'; done | median)
pl=$(for _ in 1 2 3; do psql_ -A -t -c "EXPLAIN (ANALYZE) $(cat "$work/page.sql")" | grep -E 'Planning Time' | grep -o '[0-9.]*'; done | median)
psqlt=$(for _ in 1 2 3 4 5; do psql_ -c '\timing on' -f "$work/page.sql" -o /dev/null | awk '/^Time:/ {print $2}'; done | median)

p=$(median < "$work/ping"); c=$(median < "$work/cold"); w=$(median < "$work/warm")
cat <<REPORT
page: ${versions% *} entries, ${versions#* } versions, $bytes bytes; REPS=$REPS interleaved rounds, medians
  ping  ${p} ms   cpu $(( (c1 - c0) / REPS )) ms/request
  cold  ${c} ms   cpu $(( (c2 - c1) / REPS )) ms/request   ($(awk -v a="$c" -v b="$p" 'BEGIN {printf "%.1f", a / b}')x ping)
  warm  ${w} ms   cpu $(( (c3 - c2) / REPS )) ms/request   ($(awk -v a="$w" -v b="$p" 'BEGIN {printf "%.1f", a / b}')x ping, $(awk -v a="$w" -v b="$c" 'BEGIN {printf "%.2f", a / b}')x cold)
  the page's SQL: EXPLAIN ANALYZE execution ${ex} ms, planning ${pl} ms (median of 5 / 3); psql \\timing with rows to /dev/null ${psqlt} ms
load average: $(cut -d' ' -f1-3 /proc/loadavg)
REPORT
