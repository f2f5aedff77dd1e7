#!/usr/bin/env bash
# Fit time and accuracy of LogisticRegression and RandomForest(100) on a sample dataset, with the
# BASELINE.md protocol. Usage: bench/fit.sh [dataset target repeats]   (default: adult income 3)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx4g \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.mlpipeline.pipeline.FitBenchmark "$@"
