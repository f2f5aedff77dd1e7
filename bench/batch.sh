#!/usr/bin/env bash
# Batch prediction benchmark (issue 13): 1,000,000 rows of adult scored by a batch prediction, for
# LogisticRegression and RandomForest(100); goal: under 60 s each with heap growth under 128 MB.
#
#   bench/batch.sh              # build if needed, start the service, train, upload 1M rows, score
#
# Steps: write $ROWS rows of /work/shared/datasets/adult.csv (its 32,561 rows repeated in order,
# header once) to $WORK/adult-1m.csv; start our jar from a copy of target/quarkus-app with embedded
# PostgreSQL (fresh data dir) on :$PORT; upload adult and train both models on it; upload the big file
# (upload and profiling are not timed); then per model: a full GC (jcmd GC.run), the heap used after it
# (the baseline), POST /api/batch-predictions, poll until COMPLETED while sampling the heap used with
# jstat every 0.5 s; report the wall time from submit to COMPLETED, rows/s, the peak heap used minus the
# baseline (an upper bound: it includes garbage not yet collected) and the heap used after a full GC at
# the end minus the baseline (what the run kept). Then the time to stream the LR result as CSV.
#
# Env: ROWS (1000000) PORT (8182) WORK (/tmp/batch-bench) APP_SRC (target/quarkus-app) SKIP_BUILD (0)
#      XMX (1g) MODELS ("LogisticRegression RandomForest") EXTRA_JAVA_OPTS ("")
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROWS=${ROWS:-1000000}
PORT=${PORT:-8182}
WORK=${WORK:-/tmp/batch-bench}
APP_SRC=${APP_SRC:-$root/target/quarkus-app}
XMX=${XMX:-1g}
MODELS=${MODELS:-LogisticRegression RandomForest}
B=http://127.0.0.1:$PORT
mkdir -p "$WORK"
log() { echo "[$(date +%T)] $*" >&2; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d'"$1"')'; }

pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then log "building"; ./mvnw -B -q package -DskipTests; fi
rm -rf "$WORK/app" && cp -r "$APP_SRC" "$WORK/app"

big=$WORK/adult-$ROWS.csv
if [ ! -f "$big" ]; then
  log "writing $ROWS rows to $big"
  python3 - "$ROWS" "$big" <<'PY'
import sys
rows, out = int(sys.argv[1]), sys.argv[2]
with open('/work/shared/datasets/adult.csv') as f:
    header, *data = f.read().splitlines()
with open(out, 'w') as f:
    f.write(header + '\n')
    for i in range(rows):
        f.write(data[i % len(data)] + '\n')
PY
fi

if curl -s -o /dev/null "$B/q/health"; then log "something already listens at $B; stop it first"; exit 1; fi
rm -rf "$WORK/db"; : > "$WORK/service.log"
log "starting the service (-Xmx$XMX)"
MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR=$WORK/db \
  MLPIPELINE_DATASETS_MAX_UPLOAD_SIZE=400M QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE=410M \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx"$XMX" -Dquarkus.http.port="$PORT" ${EXTRA_JAVA_OPTS:-} \
  -jar "$WORK/app/quarkus-run.jar" >> "$WORK/service.log" 2>&1 &
pid=$!
for _ in $(seq 240); do curl -fs "$B/q/health/ready" >/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 1; done
curl -fs "$B/q/health/ready" >/dev/null || { log "service not ready, see $WORK/service.log"; exit 1; }

upload() { curl -fsS -F "file=@$1" "$B/api/datasets" | json "['id']"; }
wait_status() {  # url -> final status
  while :; do
    s=$(curl -fsS "$1" | json "['status']")
    case $s in COMPLETED|FAILED|CANCELLED) echo "$s"; return;; esac
    sleep 0.5
  done
}
heap_used_kb() { "$JAVA_HOME/bin/jstat" -gc "$pid" | awk 'NR==2 {print int($3+$4+$6+$8)}'; }  # S0U S1U EU OU
full_gc() { "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null; sleep 1; }

log "uploading adult and training"
small=$(upload /work/shared/datasets/adult.csv)
declare -A jobs
for m in $MODELS; do
  hp='{}'; [ "$m" = RandomForest ] && hp='{"n_trees":100}'
  jobs[$m]=$(curl -fsS -XPOST -H 'Content-Type: application/json' "$B/api/training/jobs" \
    -d "{\"dataset_id\":\"$small\",\"model_type\":\"$m\",\"target_column\":\"income\",\"hyperparameters\":$hp}" | json "['id']")
  s=$(wait_status "$B/api/training/jobs/${jobs[$m]}"); log "trained $m: ${jobs[$m]} $s"
done
log "uploading $big ($(du -h "$big" | cut -f1))"
t0=$(date +%s.%N)
ds=$(upload "$big")
log "uploaded as $ds in $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s"

echo "model,rows,seconds,rows_per_s,rows_scored,rows_failed,peak_heap_growth_mb,retained_after_gc_mb" | tee "$WORK/results.csv"
for m in $MODELS; do
  full_gc; base=$(heap_used_kb); peak=$base
  t0=$(date +%s.%N)
  id=$(curl -fsS -XPOST -H 'Content-Type: application/json' "$B/api/batch-predictions" \
    -d "{\"dataset_id\":\"$ds\",\"job_id\":\"${jobs[$m]}\"}" | json "['id']")
  while :; do
    h=$(heap_used_kb); [ "$h" -gt "$peak" ] && peak=$h
    s=$(curl -fsS "$B/api/batch-predictions/$id" | json "['status']")
    case $s in COMPLETED|FAILED|CANCELLED) break;; esac
    sleep 0.5
  done
  t1=$(date +%s.%N)
  full_gc; after=$(heap_used_kb)
  b=$(curl -fsS "$B/api/batch-predictions/$id")
  [ "$s" = COMPLETED ] || { log "$m batch $id ended $s: $b"; }
  scored=$(echo "$b" | json "['rows_scored']"); failed=$(echo "$b" | json "['rows_failed']")
  python3 -c "
s=$t1-$t0; print('$m,$ROWS,%.1f,%d,$scored,$failed,%.0f,%.0f' % (s, $ROWS/s, ($peak-$base)/1024, ($after-$base)/1024))" | tee -a "$WORK/results.csv"
  [ "$m" = LogisticRegression ] && lr_batch=$id
done

if [ -n "${lr_batch:-}" ]; then
  t0=$(date +%s.%N)
  bytes=$(curl -fsS "$B/api/batch-predictions/$lr_batch/result" | wc -c)
  log "streamed the LR result as CSV: $bytes bytes in $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s"
  full_gc; log "heap used after streaming and a full GC: $(( $(heap_used_kb) / 1024 )) MB"
fi
