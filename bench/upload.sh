#!/usr/bin/env bash
# Upload benchmark: time and heap growth of POST /api/datasets for adult.csv (3.5 MB) and a
# generated 100 MB CSV, against the packaged service on loopback (embedded PostgreSQL).
#   ./mvnw package -DskipTests && bench/upload.sh
# Env: XMX (default 256m) caps the heap, so a service that buffered whole uploads would fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d /tmp/upload-bench.XXXX)
port=${PORT:-8181}
XMX=${XMX:-256m}

python3 - "$work/big.csv" <<'PY'
import random, sys
random.seed(7)
cats = ["alpha", "beta", "gamma", "delta", "epsilon"]
target = 100 * 1000 * 1000
with open(sys.argv[1], "w") as f:
    f.write("id,amount,ratio,category,label,note\n")
    i, size = 0, 0
    while size < target:
        line = f"{i},{random.uniform(0, 1e6):.2f},{random.random():.6f},{random.choice(cats)},{random.randint(0, 1)},row {i % 5000}\n"
        f.write(line); size += len(line); i += 1
PY
echo "generated $(stat -c %s "$work/big.csv") bytes"

MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR="$work/db" \
  "$JAVA_HOME/bin/java" -Xmx$XMX --enable-native-access=ALL-UNNAMED -Dquarkus.http.port=$port \
  -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

heap_used() { "$JAVA_HOME/bin/jstat" -gc "$pid" | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}'; }

measure() {
  local file=$1
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  local base; base=$(heap_used)
  local peak=$base
  ( while kill -0 $pid 2>/dev/null; do h=$(heap_used); echo "$h"; sleep 0.05; done ) > "$work/heap.txt" &
  local sampler=$!
  local t; t=$(curl -s -o "$work/resp.json" -w '%{http_code} %{time_total}' -F "file=@$file" "http://127.0.0.1:$port/api/datasets")
  kill $sampler; wait $sampler 2>/dev/null || true
  peak=$(sort -n "$work/heap.txt" | tail -1)
  echo "$(basename "$file"): HTTP/time_s ${t}; heap before ${base} MB, peak ${peak} MB, growth $((peak - base)) MB (-Xmx$XMX)"
}

curl -s -F "file=@samples/adult.csv" "http://127.0.0.1:$port/api/datasets" >/dev/null   # warm-up
measure samples/adult.csv
measure "$work/big.csv"
measure "$work/big.csv"
