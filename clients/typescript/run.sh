#!/usr/bin/env bash
# The TypeScript client check of .ci/run, on the jar that `./mvnw verify` packaged:
#   start the service (embedded PostgreSQL) → fetch its live /q/openapi → lint it (Redocly and
#   Spectral, zero errors) → generate the typescript-fetch client (OpenAPI Generator 7.25.0, pinned
#   in openapitools.json) → compile it and flow.ts with tsc --strict → run the flow on Node's fetch.
# Every npm package is pinned in package-lock.json. Needs Node >= 20.19 and Java 25 (JAVA_HOME).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw package first" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js >= 20.19 is needed for the TypeScript client check" >&2; exit 1; }
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true SCARF_ANALYTICS=false

npm ci --no-audit --no-fund --loglevel=error

PORT=$(node -e 'const s = require("net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })')
URL="http://localhost:$PORT"
LOG=$(mktemp -t model-registry-XXXXXX.log)
MLPIPELINE_SECURITY_ENABLED=false MLPIPELINE_EMBEDDED_POSTGRES_ENABLED=true "${JAVA_HOME:+$JAVA_HOME/bin/}java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -Dquarkus.http.port="$PORT" -jar "$JAR" >"$LOG" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null || true' EXIT
if ! node -e '
  const deadline = Date.now() + 120000;
  (async () => {
    while (Date.now() < deadline) {
      try { if ((await fetch(process.argv[1] + "/q/health/ready")).ok) return; } catch {}
      await new Promise((r) => setTimeout(r, 500));
    }
    process.exit(1);
  })();' "$URL"; then
  echo "the service did not become ready within 120 s; its log:" >&2
  tail -50 "$LOG" >&2
  exit 1
fi

rm -rf generated build
mkdir -p build
node -e 'fetch(process.argv[1] + "/q/openapi?format=json").then((r) => r.text()).then((t) => process.stdout.write(t))' "$URL" >build/openapi.json
export OPENAPI_DOCUMENT=build/openapi.json
npm run --silent lint
npm run --silent generate >/dev/null
npm run --silent build
MODEL_REGISTRY_URL="$URL" npm run --silent flow
