#!/usr/bin/env bash
# BASELINE.md's grid search (RandomForest n_trees {50,100,200} x max_depth {null,8,16}, 5 folds, then the
# refit) on every BASELINE dataset, in one JVM as one 2-worker replica runs it, against scikit-learn's
# GridSearchCV figures. Usage: bench/tuning-grid.sh [datasets] [after|before]
#   bench/tuning-grid.sh                                   # all five grids, as the service runs them now
#   bench/tuning-grid.sh customers,iris before             # one configuration per task, no shared fits
#   JFR=1 bench/tuning-grid.sh customers before            # with a flight recording in target/tuning.jfr
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -q -o test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
jfr=()
if [[ -n ${JFR:-} ]]; then jfr=(-XX:StartFlightRecording=filename=target/tuning.jfr,settings=profile); fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx4g "${jfr[@]}" \
  -Dtuning.datasets="${1:-customers,titanic,iris,adult,california_housing}" -Dtuning.mode="${2:-after}" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.mlpipeline.pipeline.TuningBenchmark
