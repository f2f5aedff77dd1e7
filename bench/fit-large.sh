#!/usr/bin/env bash
# Issue 18: fit time, peak RSS and accuracy on a generated large table, one model per JVM.
# Usage: bench/fit-large.sh ROWS MODEL [name=value ...]   e.g. bench/fit-large.sh 1000000 RandomForest n_trees=50
# The table comes from bench/gen-large.py (seed 42), cached under target/. XMX (default 8g) caps the heap;
# JFR=1 records a flight recording to target/fit-large.jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
rows=$1; shift
csv=target/large-$rows.csv
[ -f "$csv" ] || python3 bench/gen-large.py "$rows" "$csv"
if [ ! -f target/bench-classpath.txt ] || [ "${COMPILE:-1}" = 1 ]; then
  ./mvnw -B -q -o test-compile -Dspotless.apply.skip=true
  ./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
jfr=()
[ "${JFR:-0}" = 1 ] && jfr=(-XX:StartFlightRecording=filename=target/fit-large.jfr,settings=profile)
"$JAVA_HOME/bin/java" -Xmx"${XMX:-8g}" "${jfr[@]}" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.mlpipeline.pipeline.LargeFitBenchmark "$csv" churn "$@"
