#!/usr/bin/env bash
# Grid-search benchmark through the service: BASELINE.md's grid (RandomForest n_trees {50,100,200}
# × max_depth {none,8,16}, 5 folds, accuracy) on a sample dataset; prints wall time, best CV score
# and best parameters. Usage: ./mvnw package -DskipTests && bench/tuning.sh [dataset target]
# (default: customers Churn; adult income takes far longer).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
dataset=${1:-customers}
target=${2:-Churn}
port=${PORT:-8183}
work=$(mktemp -d /tmp/tuning-bench.XXXX)
MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR="$work/db" \
  "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -Dquarkus.http.port=$port \
  -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
api=http://127.0.0.1:$port/api
ds=$(curl -s -F "file=@samples/$dataset.csv" $api/datasets | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
job=$(curl -s -H 'Content-Type: application/json' -d "{\"dataset_id\":\"$ds\",\"model_type\":\"RandomForest\",
  \"target_column\":\"$target\",\"strategy\":\"grid\",\"cv_folds\":5,\"scoring\":\"accuracy\",
  \"search_space\":{\"n_trees\":[50,100,200],\"max_depth\":[null,8,16]}}" $api/tuning/jobs \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "tuning job $job on $dataset ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
while :; do
  status=$(curl -s $api/tuning/jobs/$job | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  case $status in COMPLETED|FAILED|CANCELLED) break;; esac
  sleep 2
done
curl -s $api/tuning/jobs/$job | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("status", j["status"], j.get("error") or "")
print("wall time s (45 CV fits + refit): %.1f" % (j["duration_ms"] / 1000))
print("best CV score %.4f with %s; refit test metrics %s" % (j["best_score"], j["best_params"], j["metrics"]))
for t in j["trials"]:
    print("  %-40s mean %.4f std %.4f  %5.1f s" % (json.dumps(t["params"]), t["mean_score"], t["std_score"], t["duration_ms"] / 1000))
'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
