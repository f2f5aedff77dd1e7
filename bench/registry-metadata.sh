#!/usr/bin/env bash
# Cost of the V5 registry metadata (issue 13) on the registry page, at the SQL level, in one run:
# a throw-away PostgreSQL cluster with the Flyway migrations V1..V5, the 100,000 versions of
# bench/registry-seed.sql, then
#   reference: the page query without metadata (bench/registry.sh's page SQL, 21 pairs, 10,500 rows)
#   new:       the query RegistryRepository.streamVersions builds for GET /api/registry/models?limit=20
#              (archived versions left out, aliases/tags/description joined), and with versions_limit=10
# each timed (psql \timing, median of REPS) with empty metadata tables and again after
# bench/registry-metadata.sql (10,000 tagged, 1,000 archived, 400 aliases).
#   bench/registry-metadata.sh          # needs initdb/pg_ctl/psql on the PATH (PostgreSQL 15+)
# Env: REPS (default 15), PGBIN (directory of initdb and pg_ctl).
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-15}
PGBIN=${PGBIN:-$(dirname "$(command -v pg_ctl)")}
work=$(mktemp -d /tmp/registry-metadata-bench.XXXX)
port=${PORT:-55432}
as_owner=()   # PostgreSQL refuses to run as root: run the server as the postgres user then
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; as_owner=(runuser -u postgres --); fi
"${as_owner[@]}" "$PGBIN/initdb" -D "$work/db" -U postgres -A trust >/dev/null
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$work/db" -o "-p $port -k $work -c shared_buffers=128MB" -l "$work/pg.log" -w start >/dev/null
trap '"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$work/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres postgres "$@"; }
for m in src/main/resources/db/migration/V*.sql; do psql_ -f "$m" >/dev/null; done
psql_ -f bench/registry-seed.sql >/dev/null
psql_ -c 'VACUUM ANALYZE training_job' -c 'VACUUM ANALYZE tuning_job' -c 'VACUUM ANALYZE model_version_counter'

reference() {
  cat <<'SQL'
SELECT c.dataset_id, c.model_type, d.name AS dataset_name, dep.job_id AS deployed_job_id,
       dep.version AS deployed_version, v.version, v.id, v.source, v.task, v.metrics::text AS metrics,
       v.best_score, v.hyperparameters::text AS hyperparameters, v.completed_at
FROM (SELECT c.dataset_id, c.model_type FROM model_version_counter c
      WHERE true
      ORDER BY c.dataset_id, c.model_type LIMIT 21) c
JOIN dataset d ON d.id = c.dataset_id
LEFT JOIN deployment dep ON dep.is_active AND dep.dataset_id = c.dataset_id AND dep.model_type = c.model_type
CROSS JOIN LATERAL (
    SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, NULL::float8 AS best_score,
           t.hyperparameters, t.completed_at
    FROM training_job t
    WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type AND t.status = 'COMPLETED'
    UNION ALL
    SELECT u.version, u.id, 'tuning' AS source, u.task, u.metrics, u.best_score, u.hyperparameters,
           u.completed_at
    FROM tuning_job u
    WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type AND u.status = 'COMPLETED'
) v
ORDER BY c.dataset_id, c.model_type, v.version DESC;
SQL
}

# The two branches of RegistryRepository.streamVersions with the default filter (archived left out).
TRAINING="SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, NULL::float8 AS best_score,
       t.hyperparameters, t.completed_at, m.description, m.tags, m.archived_at
FROM training_job t LEFT JOIN LATERAL (SELECT m.description, m.tags, m.archived_at FROM model_version_metadata m WHERE m.job_id = t.id LIMIT 1) m ON true
WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type AND t.status = 'COMPLETED' AND coalesce(m.archived_at, 'infinity'::timestamptz) > '294276-01-01 00:00:00+00'::timestamptz"
TUNING="SELECT u.version, u.id, 'tuning' AS source, u.task, u.metrics, u.best_score, u.hyperparameters,
       u.completed_at, m.description, m.tags, m.archived_at
FROM tuning_job u LEFT JOIN LATERAL (SELECT m.description, m.tags, m.archived_at FROM model_version_metadata m WHERE m.job_id = u.id LIMIT 1) m ON true
WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type AND u.status = 'COMPLETED' AND coalesce(m.archived_at, 'infinity'::timestamptz) > '294276-01-01 00:00:00+00'::timestamptz"

new_page() {  # $1: "" or a versions_limit
  local versions
  if [ -z "$1" ]; then
    versions="$TRAINING
UNION ALL
$TUNING"
  else
    versions="SELECT * FROM (
($TRAINING ORDER BY version DESC LIMIT $1)
UNION ALL
($TUNING ORDER BY version DESC LIMIT $1)
) x ORDER BY x.version DESC LIMIT $1"
  fi
  cat <<SQL
SELECT c.dataset_id, c.model_type, d.name AS dataset_name, dep.job_id AS deployed_job_id,
       dep.version AS deployed_version, v.version, v.id, v.source, v.task, v.metrics::text AS metrics,
       v.best_score, v.hyperparameters::text AS hyperparameters, v.completed_at,
       v.description, v.tags::text AS tags, v.archived_at IS NOT NULL AS archived,
       CASE WHEN v.id = ANY (al.jobs) THEN
           ARRAY(SELECT a.alias FROM model_version_alias a WHERE a.job_id = v.id ORDER BY a.alias) END AS aliases
FROM (SELECT c.dataset_id, c.model_type FROM model_version_counter c
      WHERE true AND EXISTS (SELECT 1 FROM (
($TRAINING ORDER BY version DESC LIMIT 1)
UNION ALL
($TUNING ORDER BY version DESC LIMIT 1)
) e)
      ORDER BY c.dataset_id, c.model_type LIMIT 21) c
JOIN dataset d ON d.id = c.dataset_id
LEFT JOIN deployment dep ON dep.is_active AND dep.dataset_id = c.dataset_id AND dep.model_type = c.model_type
LEFT JOIN LATERAL (SELECT array_agg(a.job_id) AS jobs FROM model_version_alias a
                   WHERE a.dataset_id = c.dataset_id AND a.model_type = c.model_type) al ON true
CROSS JOIN LATERAL (
$versions
) v
ORDER BY c.dataset_id, c.model_type, v.version DESC;
SQL
}

reference10() {  # bench/registry.sh's page SQL with versions_limit=10, as RegistryRepository built it before V5
  cat <<'SQL'
SELECT c.dataset_id, c.model_type, d.name AS dataset_name, dep.job_id AS deployed_job_id,
       dep.version AS deployed_version, v.version, v.id, v.source, v.task, v.metrics::text AS metrics,
       v.best_score, v.hyperparameters::text AS hyperparameters, v.completed_at
FROM (SELECT c.dataset_id, c.model_type FROM model_version_counter c WHERE true ORDER BY c.dataset_id, c.model_type LIMIT 21) c
JOIN dataset d ON d.id = c.dataset_id
LEFT JOIN deployment dep ON dep.is_active AND dep.dataset_id = c.dataset_id AND dep.model_type = c.model_type
CROSS JOIN LATERAL (SELECT * FROM (
(SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, NULL::float8 AS best_score, t.hyperparameters, t.completed_at
 FROM training_job t WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type AND t.status = 'COMPLETED'
 ORDER BY version DESC LIMIT 10)
UNION ALL
(SELECT u.version, u.id, 'tuning' AS source, u.task, u.metrics, u.best_score, u.hyperparameters, u.completed_at
 FROM tuning_job u WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type AND u.status = 'COMPLETED'
 ORDER BY version DESC LIMIT 10)
) x ORDER BY x.version DESC LIMIT 10) v
ORDER BY c.dataset_id, c.model_type, v.version DESC;
SQL
}

reference > "$work/reference.sql"
reference10 > "$work/reference10.sql"
new_page "" > "$work/new.sql"
new_page 10 > "$work/new10.sql"
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }
timed() {  # median ms of REPS runs of a file (after 3 warm-up runs); also its row count
  for _ in 1 2 3; do psql_ -f "$1" -o /dev/null; done
  for _ in $(seq "$REPS"); do psql_ -c '\timing on' -f "$1" -o /dev/null | awk '/^Time:/ {print $2}'; done | median
}
rows() { psql_ -A -t -c "SELECT count(*) FROM ($(sed 's/;$//' "$1")) q"; }
measure() {
  local ref new ref10 new10
  ref=$(timed "$work/reference.sql"); new=$(timed "$work/new.sql")
  ref10=$(timed "$work/reference10.sql"); new10=$(timed "$work/new10.sql")
  echo "$1:"
  echo "  page of 20, all versions: before V5 ${ref} ms ($(rows "$work/reference.sql") rows); now ${new} ms ($(rows "$work/new.sql") rows): $(awk -v a="$new" -v b="$ref" 'BEGIN {printf "%.2f", a / b}')x"
  echo "  page of 20, versions_limit=10: before V5 ${ref10} ms ($(rows "$work/reference10.sql") rows); now ${new10} ms ($(rows "$work/new10.sql") rows): $(awk -v a="$new10" -v b="$ref10" 'BEGIN {printf "%.2f", a / b}')x"
}
measure "metadata tables empty"
psql_ -f bench/registry-metadata.sql >/dev/null
measure "10,000 tagged / 1,000 archived / 400 aliases"
for f in reference10 new10; do
  echo "EXPLAIN ANALYZE $f: $(psql_ -c "EXPLAIN (ANALYZE, COSTS OFF) $(sed 's/;$//' "$work/$f.sql")" | grep -E "Planning Time|Execution Time" | tr -s ' \n' ' ')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
