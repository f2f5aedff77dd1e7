#!/usr/bin/env bash
# Prediction serving benchmark, end to end: our service vs the reference peer (FastAPI +
# scikit-learn, /work/shared/bench/peer) vs our trivial endpoint (POST /api/ping, HTTP ceiling).
#
#   bench/predict.sh            # build if needed, start both servers, train/deploy, run the matrix
#   MATRIX=0 INLINE_COMPARE=0 LOG_COMPARE=1 bench/predict.sh   # only the prediction-log cost (issue 14)
#
# Steps: start the peer via its run.sh (127.0.0.1:8090); start our jar from a copy of
# target/quarkus-app with embedded PostgreSQL (fresh data dir) on :8181; upload titanic + adult,
# train RandomForest(100) on each (adult twice), time the adult deploy alternating the two adult
# jobs, deploy titanic; run wrk (-t1, 1 and 8 connections, 1-row and 100-row payloads,
# --latency) interleaved peer/ours/ping, RUNS rounds; print the table (median over rounds) and
# the ratios; optionally re-run our 100-row cells with -Dmlpipeline.deployments.inline-rows=100;
# stop both servers.
#
# LOG_COMPARE=1 adds the cost of the prediction log: RUNS rounds, each restarting our service once
# with -Dmlpipeline.prediction-log.sample-rate=0 (log off) and once with 1.0 (every row logged), in
# alternating order, WARMUP of wrk before each measured cell (1-row payload, 1 and 8 connections);
# it reports log-on/log-off req/s per connection count (goal >= 0.9) and the rows the log wrote
# or dropped (from /q/metrics). MATRIX=0 skips the peer and the peer/ours/ping matrix.
#
# Env: DURATION (20s) RUNS (3) PEER_DIR_SRC (/work/shared/bench/peer) PORT (8181)
#      APP_SRC (target/quarkus-app) WORK (/tmp/predict-bench) SKIP_BUILD (0) DEPLOY_REPEATS (6)
#      INLINE_COMPARE (1: extra 100-row runs with inline-rows=100) MATRIX (1) LOG_COMPARE (0)
#      WARMUP (10s) PEER (1: 0 leaves the peer out of the matrix: ours and ping only)
#      JAVA_OPTS (extra JVM options of our service, e.g. -XX:StartFlightRecording=...)
#      DEPLOY_REPEATS=0 skips adult (no upload, no training, no deploy timing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-20s}
RUNS=${RUNS:-3}
PEER_SRC=${PEER_DIR_SRC:-/work/shared/bench/peer}
PORT=${PORT:-8181}
WORK=${WORK:-/tmp/predict-bench}
APP_SRC=${APP_SRC:-$root/target/quarkus-app}
DEPLOY_REPEATS=${DEPLOY_REPEATS:-6}
INLINE_COMPARE=${INLINE_COMPARE:-1}
MATRIX=${MATRIX:-1}
LOG_COMPARE=${LOG_COMPARE:-0}
WARMUP=${WARMUP:-10s}
PEER_ON=${PEER:-1}; [ "$MATRIX" = 1 ] || PEER_ON=0
read -r -a java_opts <<< "${JAVA_OPTS:-}"
B=http://127.0.0.1:$PORT
PEER=http://127.0.0.1:8090
export PEER_DIR=$WORK/peer

mkdir -p "$WORK"
results=$WORK/results.jsonl
: > "$results"
log() { echo "[$(date +%T)] $*" >&2; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d'"$1"')'; }

ours_pid=""
cleanup() {
  [ -n "$ours_pid" ] && kill "$ours_pid" 2>/dev/null && wait "$ours_pid" 2>/dev/null || true
  [ -f "$PEER_DIR/server.pid" ] && kill "$(cat "$PEER_DIR/server.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# --- build + copy (so later builds don't disturb the running jar) ---
if [ "${SKIP_BUILD:-0}" != 1 ]; then log "building"; ./mvnw -B -q package -DskipTests; fi
rm -rf "$WORK/app" && cp -r "$APP_SRC" "$WORK/app"

for u in "$PEER/health" "$B/q/health"; do
  if curl -s -o /dev/null "$u"; then log "something already listens at $u; stop it first"; exit 1; fi
done

# --- peer ---
if [ "$PEER_ON" = 1 ]; then
  log "starting peer"
  "$PEER_SRC/run.sh" >&2
  curl -fs "$PEER/health" >/dev/null
fi

# --- ours ---
start_ours() {  # $@: extra JVM options
  MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true MLPIPELINE_EMBEDDED_POSTGRES_DATA_DIR=$WORK/db \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -Dquarkus.http.port="$PORT" ${java_opts[@]+"${java_opts[@]}"} "$@" \
    -jar "$WORK/app/quarkus-run.jar" >> "$WORK/ours.log" 2>&1 &
  ours_pid=$!
  for _ in $(seq 180); do curl -fs "$B/q/health/ready" >/dev/null && return 0; sleep 1; done
  log "our service not ready, see $WORK/ours.log"; exit 1
}
stop_ours() { kill "$ours_pid"; wait "$ours_pid" 2>/dev/null || true; ours_pid=""; }
rm -rf "$WORK/db"; : > "$WORK/ours.log"
log "starting our service"
start_ours

upload() { curl -fsS -F "file=@$1" "$B/api/datasets" | json "['id']"; }
train() {  # dataset_id target -> job id
  curl -fsS -XPOST -H 'Content-Type: application/json' "$B/api/training/jobs" \
    -d "{\"dataset_id\":\"$1\",\"model_type\":\"RandomForest\",\"target_column\":\"$2\",\"hyperparameters\":{\"n_trees\":100}}" \
    | json "['id']"
}
wait_job() {
  while :; do
    s=$(curl -fsS "$B/api/training/jobs/$1" | json "['status']")
    case $s in COMPLETED) return 0 ;; FAILED|CANCELLED) log "job $1 $s"; exit 1 ;; esac
    sleep 3
  done
}
deploy() {  # job id -> "http_code seconds"
  curl -sS -o "$WORK/deploy.json" -w '%{http_code} %{time_total}' -XPOST \
    -H 'Content-Type: application/json' "$B/api/deployments/deploy" -d "{\"job_id\":\"$1\"}"
}

log "upload + train"
ds_t=$(upload "$root/samples/titanic.csv")
job_t=$(train "$ds_t" Survived); jobs=("$job_t")
if [ "$DEPLOY_REPEATS" -gt 0 ]; then
  ds_a=$(upload "$root/samples/adult.csv")
  job_a1=$(train "$ds_a" income); job_a2=$(train "$ds_a" income); jobs+=("$job_a1" "$job_a2")
fi
for j in "${jobs[@]}"; do wait_job "$j"; done

[ "$DEPLOY_REPEATS" -gt 0 ] && log "adult RF(100) deploy warm-up, alternating $job_a1 / $job_a2"
deploy_times=()
for i in $(seq "$DEPLOY_REPEATS"); do
  if [ $((i % 2)) = 0 ]; then j=$job_a2; else j=$job_a1; fi
  r=$(deploy "$j"); log "deploy adult $j -> $r"
  [ "${r%% *}" = 201 ] || { cat "$WORK/deploy.json" >&2; exit 1; }
  deploy_times+=("${r#* }")
done
r=$(deploy "$job_t"); log "deploy titanic $job_t -> $r"
[ "${r%% *}" = 201 ] || { cat "$WORK/deploy.json" >&2; exit 1; }
titanic_deploy_s=${r#* }

# sanity: both answer the 1-row payload
log "ours: $(curl -fsS -XPOST -H 'Content-Type: application/json' --data @"$PEER_SRC/payload_1.json" "$B/api/deployments/predict" | head -c 200)"
[ "$PEER_ON" = 1 ] && log "peer: $(curl -fsS -XPOST -H 'Content-Type: application/json' --data @"$PEER_SRC/payload_1.json" "$PEER/api/deployments/predict")"

# CPU ticks (utime+stime, 1/100 s) used so far by our JVM and its embedded PostgreSQL (the
# postmaster started on $WORK/db and its backends, which write the prediction log).
# Prints "total jvm": PostgreSQL's share is total - jvm.
cpu_ticks() {
  local pids="" pm jvm
  jvm=$(awk '{print $14 + $15}' "/proc/$ours_pid/stat" 2>/dev/null || echo 0)
  pm=$(pgrep -f -- "$WORK/db" | head -1 || true)
  [ -n "$pm" ] && pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
  for p in $pids; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done | awk -v j="$jvm" '{s += $1} END {print s + j, j}'
}

# --- wrk matrix ---
run_wrk() {  # label url payload conns round
  local out load cpu0 cpu1
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu0=$(cpu_ticks)
  out=$(PAYLOAD="$PEER_SRC/$3" wrk -t1 -c"$4" -d"$DURATION" --latency -s "$PEER_SRC/post.lua" "$2")
  cpu1=$(cpu_ticks)
  local line; line=$(echo "$out" | grep '^RESULT ' | sed 's/^RESULT //')
  local rows=1; [ "$3" = payload_100.json ] && rows=100
  echo "$line" | python3 -c 'import json,sys
d=json.load(sys.stdin); d.update(label=sys.argv[1], rows=int(sys.argv[2]), conns=int(sys.argv[3]),
round=int(sys.argv[4]), load_before=float(sys.argv[5]), load_after=float(open("/proc/loadavg").read().split()[0]),
ours_cpu_us_per_req=(int(sys.argv[7].split()[0]) - int(sys.argv[6].split()[0])) * 10000 / max(1, d["requests"]),
jvm_cpu_us_per_req=(int(sys.argv[7].split()[1]) - int(sys.argv[6].split()[1])) * 10000 / max(1, d["requests"]))
print(json.dumps(d))' "$1" "$rows" "$4" "$5" "$load" "$cpu0" "$cpu1" | tee -a "$results" >&2
}
if [ "$MATRIX" = 1 ]; then  # JIT warm-up of our service before the first measured cell
  for payload in payload_1.json payload_100.json; do
    PAYLOAD="$PEER_SRC/$payload" wrk -t1 -c8 -d"$WARMUP" -s "$PEER_SRC/post.lua" "$B/api/deployments/predict" >/dev/null
  done
  PAYLOAD="$PEER_SRC/payload_1.json" wrk -t1 -c8 -d"$WARMUP" -s "$PEER_SRC/post.lua" "$B/api/ping" >/dev/null
fi
for round in $(seq "$RUNS"); do
  [ "$MATRIX" = 1 ] || break
  for payload in payload_1.json payload_100.json; do
    for c in 1 8; do
      [ "$PEER_ON" = 1 ] && run_wrk peer "$PEER/api/deployments/predict" "$payload" "$c" "$round"
      run_wrk ours "$B/api/deployments/predict" "$payload" "$c" "$round"
      if [ "$payload" = payload_1.json ]; then run_wrk ping "$B/api/ping" "$payload" "$c" "$round"; fi
    done
  done
done

if [ "$INLINE_COMPARE" = 1 ]; then
  log "restarting ours with -Dmlpipeline.deployments.inline-rows=100"
  stop_ours; start_ours -Dmlpipeline.deployments.inline-rows=100
  curl -fsS -XPOST -H 'Content-Type: application/json' --data @"$PEER_SRC/payload_100.json" "$B/api/deployments/predict" >/dev/null
  for round in $(seq "$RUNS"); do
    for c in 1 8; do run_wrk ours-inline100 "$B/api/deployments/predict" payload_100.json "$c" "$round"; done
  done
fi

if [ "$LOG_COMPARE" = 1 ]; then
  logged=$WORK/log-rows.txt; : > "$logged"
  for round in $(seq "$RUNS"); do
    if [ $((round % 2)) = 1 ]; then rates="0 1.0"; else rates="1.0 0"; fi
    for rate in $rates; do
      log "round $round: restarting ours with -Dmlpipeline.prediction-log.sample-rate=$rate"
      stop_ours; start_ours -Dmlpipeline.prediction-log.sample-rate="$rate"
      label=ours-log-off; [ "$rate" = 0 ] || label=ours-log-on
      for c in 1 8; do
        PAYLOAD="$PEER_SRC/payload_1.json" wrk -t1 -c"$c" -d"$WARMUP" -s "$PEER_SRC/post.lua" "$B/api/deployments/predict" >/dev/null
        run_wrk "$label" "$B/api/deployments/predict" payload_1.json "$c" "$round"
      done
      sleep 2  # one more flush of the log's writer
      echo "$label round $round: $(curl -fsS "$B/q/metrics" | grep '^mlpipeline_prediction_log_rows_total' | tr '\n' ' ')" | tee -a "$logged" >&2
    done
  done
fi

# --- report ---
python3 - "$results" "${deploy_times[*]}" "$titanic_deploy_s" <<'EOF'
import json, statistics as st, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
dep = [float(x) * 1000 for x in sys.argv[2].split()]
cells = {}
for r in rs:
    cells.setdefault((r["label"], r["rows"], r["conns"]), []).append(r)
med = lambda xs: st.median(xs)
def m(label, rows, conns, key):
    c = cells.get((label, rows, conns))
    return med([r[key] for r in c]) if c else None
print("\n| server | rows/request | conns | runs | req/s | rows/s | p50 ms | p99 ms | non-2xx | load (1-min) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for (label, rows, conns), c in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
    rps = med([r["rps"] for r in c])
    loads = [r["load_before"] for r in c] + [r["load_after"] for r in c]
    print(f"| {label} | {rows} | {conns} | {len(c)} | {rps:,.0f} | {rps*rows:,.0f} | "
          f"{med([r['p50_ms'] for r in c]):.2f} | {med([r['p99_ms'] for r in c]):.2f} | "
          f"{sum(r['non2xx'] for r in c)} | {min(loads):.1f}-{max(loads):.1f} |")
print("\nratios (medians):")
for conns in (1, 8):
    on, off = m("ours-log-on", 1, conns, "rps"), m("ours-log-off", 1, conns, "rps")
    if on and off:
        pairs = {}
        for r in rs:
            if r["label"] in ("ours-log-on", "ours-log-off") and r["conns"] == conns:
                pairs.setdefault(r["round"], {})[r["label"]] = r["rps"]
        per_round = [p["ours-log-on"] / p["ours-log-off"] for p in pairs.values() if len(p) == 2]
        print(f"  1-row  c{conns}: log on/off req/s = {on:,.0f} / {off:,.0f} = {on/off:.3f} (goal >= 0.9); "
              f"per round: {', '.join(f'{x:.3f}' for x in per_round)}")
        con, coff = m("ours-log-on", 1, conns, "ours_cpu_us_per_req"), m("ours-log-off", 1, conns, "ours_cpu_us_per_req")
        print(f"  1-row  c{conns}: CPU of JVM + PostgreSQL per request, log on/off = {con:.1f} / {coff:.1f} µs "
              f"(off/on = {coff/con:.3f}: the throughput ratio a CPU-bound server would see)")
        jon, joff = m("ours-log-on", 1, conns, "jvm_cpu_us_per_req"), m("ours-log-off", 1, conns, "jvm_cpu_us_per_req")
        print(f"  1-row  c{conns}: of which the JVM, log on/off = {jon:.1f} / {joff:.1f} µs; PostgreSQL {con - jon:.1f} / {coff - joff:.1f} µs")
    if not m("ours", 1, conns, "rps"):
        continue
    o, p, g = m("ours", 1, conns, "rps"), m("peer", 1, conns, "rps"), m("ping", 1, conns, "rps")
    if p: print(f"  1-row  c{conns}: ours/peer req/s = {o/p:,.1f}x (goal >= 50x)")
    pairs = {}
    for r in rs:
        if r["label"] in ("ours", "ping") and r["rows"] == 1 and r["conns"] == conns:
            pairs.setdefault(r["round"], {})[r["label"]] = r
    per_round = [q["ours"]["rps"] / q["ping"]["rps"] for q in pairs.values() if len(q) == 2]
    print(f"  1-row  c{conns}: ours/ping req/s = {o/g:.3f} (goal >= 0.7 at c8); per round: {', '.join(f'{x:.3f}' for x in per_round)}")
    co, cg = m("ours", 1, conns, "ours_cpu_us_per_req"), m("ping", 1, conns, "ours_cpu_us_per_req")
    print(f"  1-row  c{conns}: CPU per request ours / ping = {co:.1f} / {cg:.1f} µs (ping/ours = {cg/co:.3f}: the req/s ratio of a CPU-bound server)")
    o, p = m("ours", 100, conns, "rps"), m("peer", 100, conns, "rps")
    c100 = m("ours", 100, conns, "ours_cpu_us_per_req")
    print(f"  100-row c{conns}: ours {o*100:,.0f} rows/s, CPU {c100:.0f} µs per request = {c100/100:.2f} µs per row"
          + (f"; ours/peer rows/s = {o/p:,.1f}x (goal >= 10x)" if p else ""))
    i = m("ours-inline100", 100, conns, "rps")
    if i: print(f"  100-row c{conns}: inline-rows=100 vs 16: {i:,.0f} vs {o:,.0f} req/s ({i/o:.2f}x)")
if m('ours', 1, 8, 'p99_ms'): print(f"  1-row c8 p99: {m('ours', 1, 8, 'p99_ms'):.2f} ms (goal < 5 ms)")
if dep: print(f"\nadult RF(100) deploy ms: {', '.join(f'{d:.0f}' for d in dep)}; median {med(dep):.0f} (goal < 500)")
print(f"titanic RF(100) deploy ms: {float(sys.argv[3])*1000:.0f}")
EOF
log "raw results: $results"
