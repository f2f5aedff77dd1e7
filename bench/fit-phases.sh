#!/usr/bin/env bash
# LogisticRegression (or another classifier) against scikit-learn in the same run, interleaved (issues 16 and 18):
# per round, one JVM fits REPEATS times through Trainer's phases (bench: FitPhasesBenchmark, first fit = warm-up)
# and one scikit-learn process fits its Pipeline once (bench/fit-large-sklearn.py, Debian's /usr/bin/python3).
# Usage: [TREES=100] bench/fit-phases.sh CSV TARGET [ROUNDS] [REPEATS] [MODEL]   (TREES: n_estimators on both sides, default 100)
#   bench/fit-phases.sh /work/shared/datasets/adult.csv income 3 4
#   bench/fit-phases.sh target/large-1000000.csv churn 2 2       (table from bench/gen-large.py)
# Prints `uptime` before every process: on a shared machine compare CPU seconds, not wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
csv=$1; target=$2; rounds=${3:-3}; repeats=${4:-4}; model=${5:-LogisticRegression}
if [ ! -f target/bench-classpath.txt ] || [ "${COMPILE:-1}" = 1 ]; then
  ./mvnw -B -q -o test-compile -Dspotless.apply.skip=true
  ./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
for r in $(seq "$rounds"); do
  echo "== round $r: $(uptime)"
  "$JAVA_HOME/bin/java" -Xmx"${XMX:-4g}" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    dev.mlpipeline.pipeline.FitPhasesBenchmark "$csv" "$target" "$repeats" "$model" ${TREES:+n_trees=$TREES} | tail -1
  echo "== $(uptime)"
  /usr/bin/python3 bench/fit-large-sklearn.py "$csv" "$target" "$model" "${TREES:-100}"
done
