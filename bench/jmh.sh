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
# Results go to target/jmh-result.json; the script then prints each benchmark's CPU time per
# operation (dev.mlpipeline.bench.CpuTime), the figure to quote on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
offline=-o; [ "${OFFLINE:-1}" = 0 ] && offline=
./mvnw -B -q $offline -Pjmh test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test >&2
case " $* " in
  *" -l "*|*" -h "*|*" -lp "*) exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@" ;;
esac
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main \
  -rf json -rff target/jmh-result.json "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - target/jmh-result.json <<'PY'
import json, sys
print("\nCPU time of the benchmark thread per operation (cpuNanos / calls):")
for b in json.load(open(sys.argv[1])):
    sec = b.get("secondaryMetrics", {})
    if "cpuNanos" not in sec or not sec["calls"]["score"]:
        continue
    params = ",".join(f"{k}={v}" for k, v in (b.get("params") or {}).items())
    cpu_us = sec["cpuNanos"]["score"] / sec["calls"]["score"] / 1000
    pm = b["primaryMetric"]
    line = f"  {b['benchmark'].split('.', 2)[-1]}({params}): {cpu_us:,.1f} µs CPU/op; wall {pm['score']:,.1f} {pm['scoreUnit']}"
    rows = (b.get("params") or {}).get("rows")
    if rows:
        line += f"; {int(rows) * 1e6 / cpu_us:,.0f} rows/s per core (by CPU time)"
    print(line)
PY
