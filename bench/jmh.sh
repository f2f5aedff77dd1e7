#!/usr/bin/env bash
# JMH micro-benchmarks (src/jmh/java), on demand only: never compiled by the default build.
#
#   bench/jmh.sh                          # all: PredictBenchmark (1 and 100 rows) and CsvBenchmark
#   bench/jmh.sh PredictBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s    # any JMH option after the pattern
#   bench/jmh.sh -l                       # list them
#
# Compiles the tests and src/jmh/java with -Pjmh (JMH's annotation processor generates the harness),
# writes the test classpath to target/jmh-classpath.txt and runs org.openjdk.jmh.Main from the
# project directory (the benchmarks read samples/). OFFLINE=0 lets Maven download JMH the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
offline=-o; [ "${OFFLINE:-1}" = 0 ] && offline=
./mvnw -B -q $offline -Pjmh test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test >&2
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@"
