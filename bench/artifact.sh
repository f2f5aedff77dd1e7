#!/usr/bin/env bash
# Model artifact format: size, cold load and predict rate of RandomForest(100) on adult, the binary
# format (mlpipeline-binary/v1) against the Java-serialization one (java-serialization/v1), in one run.
# Usage: bench/artifact.sh [rounds]   (default 3 rounds of fresh-JVM loads, interleaved)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
ROUNDS=${1:-3}
DIR=${DIR:-target/artifact-bench}
./mvnw -B -q -o test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
run() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$CP" dev.mlpipeline.pipeline.ArtifactBenchmark "$@"; }
run write "$DIR"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  run load "$DIR/legacy.bin" 5
  run load "$DIR/new.bin" 5
done
