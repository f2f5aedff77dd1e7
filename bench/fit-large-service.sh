#!/usr/bin/env bash
# Issue 18: a 1 M-row RandomForest job submitted to the packaged service started with a small heap (default -Xmx1g).
# Starts our jar from a copy of target/quarkus-app (build it first: ./mvnw -B -o package -DskipTests) with embedded
# PostgreSQL (fresh data dir) and security off, uploads target/large-ROWS.csv (bench/gen-large.py), submits
# RandomForest with HP (default {"n_trees":50}), prints the HTTP status and body of the submission, follows the job
# when it is accepted, and reports whether the service process survived and its peak RSS (VmHWM, the JVM alone).
# Usage: [XMX=1g] [ROWS=1000000] [HP='{"n_trees":50}'] bench/fit-large-service.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROWS=${ROWS:-1000000}
XMX=${XMX:-1g}
PORT=${PORT:-8186}
HP=${HP:-'{"n_trees":50}'}
WORK=${WORK:-/tmp/fit-large-service}
B=http://127.0.0.1:$PORT
csv=target/large-$ROWS.csv
[ -f "$csv" ] || python3 bench/gen-large.py "$ROWS" "$csv"
log() { echo "[$(date +%T)] $*" >&2; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d'"$1"')'; }
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p "$WORK"; rm -rf "$WORK/app" "$WORK/db"; cp -r target/quarkus-app "$WORK/app"; : > "$WORK/service.log"
if curl -s -o /dev/null "$B/q/health"; then log "something already listens at $B; stop it first"; exit 1; fi
log "starting the service (-Xmx$XMX), load: $(cut -d' ' -f1-3 /proc/loadavg)"
MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR=$WORK/db \
  MLPIPELINE_DATASETS_MAX_UPLOAD_SIZE=400M QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE=410M \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx"$XMX" -Dquarkus.http.port="$PORT" \
  -jar "$WORK/app/quarkus-run.jar" >> "$WORK/service.log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -fs "$B/q/health/ready" >/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 1; done
curl -fs "$B/q/health/ready" >/dev/null || { log "service not ready, see $WORK/service.log"; exit 1; }
log "uploading $csv"
ds=$(curl -fsS -F "file=@$csv" "$B/api/datasets" | json "['id']")
log "dataset $ds; submitting RandomForest $HP"
code=$(curl -sS -o "$WORK/submit.json" -w '%{http_code}' -XPOST -H 'Content-Type: application/json' "$B/api/training/jobs" \
  -d "{\"dataset_id\":\"$ds\",\"model_type\":\"RandomForest\",\"target_column\":\"churn\",\"task\":\"classification\",\"hyperparameters\":$HP}")
echo "submission: HTTP $code"; cat "$WORK/submit.json"; echo
if [ "$code" = 201 ] || [ "$code" = 202 ] || [ "$code" = 200 ]; then
  id=$(json "['id']" < "$WORK/submit.json")
  while :; do
    b=$(curl -fsS "$B/api/training/jobs/$id"); s=$(echo "$b" | json "['status']")
    case $s in COMPLETED|FAILED|CANCELLED) break;; esac
    kill -0 "$pid" 2>/dev/null || { log "the service died"; break; }
    sleep 2
  done
  echo "job: $b"
fi
if kill -0 "$pid" 2>/dev/null && curl -fs "$B/q/health/ready" >/dev/null; then echo "service alive and ready"; else echo "SERVICE DEAD"; fi
echo "service peak RSS (JVM only): $(grep VmHWM /proc/$pid/status | tr -s ' ')"
echo "JVM CPU s: $(awk '{print ($14+$15)/100}' /proc/$pid/stat)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
