#!/usr/bin/env bash
# Registry benchmark: 100,000 completed jobs over 200 (dataset, model_type) pairs, seeded with SQL
# (bench/registry-seed.sql) into the packaged service's embedded PostgreSQL. Measures
# GET /api/registry/models (all; one page of 20 entries with all their versions and with
# versions_limit=10), GET /api/registry/stats (median of REPS after warm-up), the heap during full
# listings (jstat sampling of used heap, and the live heap after a full GC forced in the middle of
# a listing, read from -Xlog:gc), and in the same run the plain SQL query returning the same rows
# through psql.
#   ./mvnw package -DskipTests && bench/registry.sh
#   XMX=64m bench/registry.sh          # the full listing must still complete with a small heap
# Env: XMX (default 512m), REPS (default 15), PORT (default 8282), JAVA_OPTS (extra JVM options).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /tmp/registry-bench.XXXX)
port=${PORT:-8282}
XMX=${XMX:-512m}
REPS=${REPS:-15}
base="http://127.0.0.1:$port/api/registry"

MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR="$work/db" \
  "$JAVA_HOME/bin/java" -Xmx$XMX -Xlog:gc:file="$work/gc.log" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Dquarkus.http.port=$port \
  -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 240); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
pg_port=$(grep -o 'Embedded PostgreSQL started on port [0-9]*' "$work/service.log" | grep -o '[0-9]*$')
psql_() { psql -X -q -h localhost -p "$pg_port" -U postgres postgres "$@"; }

echo "seeding (PostgreSQL on port $pg_port)"
psql_ -f bench/registry-seed.sql
psql_ -c 'VACUUM ANALYZE training_job' -c 'VACUUM ANALYZE tuning_job' -c 'VACUUM ANALYZE model_version_counter'
psql_ -A -t -c "SELECT 'completed jobs: ' || ((SELECT count(*) FROM training_job WHERE status = 'COMPLETED')
                + (SELECT count(*) FROM tuning_job WHERE status = 'COMPLETED'))
                || ', pairs: ' || (SELECT count(*) FROM model_version_counter)"

# The rows of the full listing and of a page of 20 entries (its 20 pairs + the next one), as
# RegistryRepository.streamVersions builds them without filters and without versions_limit.
listing_sql() {  # $1: "" or " LIMIT n" on the pairs
  cat <<SQL
SELECT c.dataset_id, c.model_type, d.name AS dataset_name, dep.job_id AS deployed_job_id,
       dep.version AS deployed_version, v.version, v.id, v.source, v.task, v.metrics::text AS metrics,
       v.best_score, v.hyperparameters::text AS hyperparameters, v.completed_at
FROM (SELECT c.dataset_id, c.model_type FROM model_version_counter c
      WHERE true
      ORDER BY c.dataset_id, c.model_type$1) c
JOIN dataset d ON d.id = c.dataset_id
LEFT JOIN deployment dep ON dep.is_active AND dep.dataset_id = c.dataset_id AND dep.model_type = c.model_type
CROSS JOIN LATERAL (
    SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, NULL::float8 AS best_score,
           t.hyperparameters, t.completed_at
    FROM training_job t
    WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type AND t.status = 'COMPLETED'
    UNION ALL
    SELECT u.version, u.id, 'tuning' AS source, u.task, u.metrics, u.best_score, u.hyperparameters,
           u.completed_at
    FROM tuning_job u
    WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type AND u.status = 'COMPLETED'
) v
ORDER BY c.dataset_id, c.model_type, v.version DESC;
SQL
}
listing_sql "" > "$work/listing.sql"
listing_sql " LIMIT 21" > "$work/page.sql"

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }
time_url() {  # prints ms per request, one per line
  for _ in $(seq "$REPS"); do
    curl -s -o /dev/null -w '%{time_total}\n' "$1" | awk '{printf "%.1f\n", $1 * 1000}'
  done
}

# warm-up: JIT, connection pool, PostgreSQL caches
for _ in 1 2 3; do
  curl -s -o /dev/null "$base/models"; curl -s -o /dev/null "$base/models?limit=20"; curl -s -o /dev/null "$base/stats"
  curl -s -o /dev/null "$base/models?limit=20&versions_limit=10"
  psql_ -f "$work/listing.sql" -o /dev/null
done

bytes=$(curl -s -o "$work/all.json" -w '%{size_download}' "$base/models")
entries=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d), sum(len(e['versions']) for e in d))" "$work/all.json")
page_bytes=$(curl -s -o /dev/null -w '%{size_download}' "$base/models?limit=20")
next=$(curl -s -D - -o /dev/null "$base/models?limit=20" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-next-cursor" {print $2}')

full_ms=$(time_url "$base/models" | median)
page_ms=$(time_url "$base/models?limit=20" | median)
page2_ms=$(time_url "$base/models?limit=20&cursor=$next" | median)
vl_bytes=$(curl -s -o /dev/null -w '%{size_download}' "$base/models?limit=20&versions_limit=10")
vl_ms=$(time_url "$base/models?limit=20&versions_limit=10" | median)
vl2_ms=$(time_url "$base/models?limit=20&versions_limit=10&cursor=$next" | median)
stats_ms=$(time_url "$base/stats" | median)
sql_ms=$(for _ in $(seq "$REPS"); do psql_ -c '\timing on' -f "$work/listing.sql" -o /dev/null | awk '/^Time:/ {print $2}'; done | median)
page_sql_ms=$(for _ in $(seq "$REPS"); do psql_ -c '\timing on' -f "$work/page.sql" -o /dev/null | awk '/^Time:/ {print $2}'; done | median)
sql_wall_ms=$(for _ in $(seq 5); do s=$(date +%s%N); psql_ -A -t -f "$work/listing.sql" > /dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); done | median)

heap_used() { "$JAVA_HOME/bin/jstat" -gc "$pid" | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}'; }
"$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
heap_base=$(heap_used)
( while kill -0 $pid 2>/dev/null; do heap_used; echo; sleep 0.05; done ) > "$work/heap.txt" &
sampler=$!
for _ in 1 2 3; do curl -s -o /dev/null "$base/models"; done
kill $sampler; wait $sampler 2>/dev/null || true
heap_peak=$(grep -v '^$' "$work/heap.txt" | sort -n | tail -1)

# Live heap: a full GC (jcmd GC.run = System.gc()) forced while a full listing is being written;
# its "after" figure is everything reachable at that moment. Also: the listing must arrive whole.
full_gc_after() { grep 'Pause Full' "$work/gc.log" | tail -1 | sed -E 's/.* [0-9]+[MK]->([0-9]+[MK])\(.*/\1/'; }
"$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
live_idle=$(full_gc_after)
live_during=""
for delay in 0.3 0.8 1.3; do
  curl -s -o "$work/again.json" -w '%{size_download}\n' "$base/models" > "$work/again.size" &
  c=$!
  sleep "$delay"
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  wait $c
  [ "$(cat "$work/again.size")" = "$bytes" ] || { echo "listing during GC was $(cat "$work/again.size") bytes, expected $bytes" >&2; exit 1; }
  live_during="$live_during $(full_gc_after)@${delay}s"
done
young_after=$(awk '/Pause Young/ {sub(/.*->/, ""); sub(/\(.*/, ""); print}' "$work/gc.log" | sed 's/M$//' | sort -n | tail -1)
full_gcs=$(grep -c 'Pause Full' "$work/gc.log" || true)

cat <<REPORT
full listing:  ${entries% *} entries, ${entries#* } versions, $bytes bytes; median ${full_ms} ms over $REPS
plain SQL:     psql \\timing median ${sql_ms} ms (same rows; psql -A -t wall incl. printing ${sql_wall_ms} ms)
ratio:         $(awk -v a="$full_ms" -v b="$sql_ms" 'BEGIN {printf "%.2f", a / b}')x the plain query (goal <= 3x)
page of 20:    $page_bytes bytes; median ${page_ms} ms (first page), ${page2_ms} ms (second page, by cursor) (goal < 50 ms)
  the page's SQL alone (psql \\timing, 21 pairs, 10,500 rows): median ${page_sql_ms} ms
  versions_limit=10: $vl_bytes bytes; median ${vl_ms} ms (first page), ${vl2_ms} ms (second page)
stats:         median ${stats_ms} ms (goal < 50 ms)
heap:          used (jstat) before ${heap_base} MB, peak ${heap_peak} MB during 3 full listings, growth $((heap_peak - heap_base)) MB (goal < 64 MB, -Xmx$XMX)
  live after full GC: idle ${live_idle}; in the middle of a full listing:${live_during}
  largest heap after any young GC in the run: ${young_after} MB; full GCs in the run: ${full_gcs} (incl. the forced ones)
REPORT
