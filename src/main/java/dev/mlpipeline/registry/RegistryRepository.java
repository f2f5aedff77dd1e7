package dev.mlpipeline.registry;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.ModelVersionResponse;
import dev.mlpipeline.registry.dto.RegistryStatsResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedStatement;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The registry's SQL, over the reactive PostgreSQL client, and the mapping of its rows to the
 * registry's responses. Read-only; only the columns the views need (never {@code model_artifact.bytes}).
 *
 * <p>Entries are driven by {@code model_version_counter}: it has one row per (dataset_id,
 * model_type) that ever took a version, in primary-key order, and for each such pair a LATERAL
 * UNION ALL of the completed rows of both job tables reads that pair's versions through the
 * partial unique indexes {@code (dataset_id, model_type, version) WHERE status = 'COMPLETED'}.
 * The plan (nested loop + incremental sort per pair) produces rows in (dataset_id, model_type,
 * version DESC) order without sorting the whole result, so the rows are streamed with a cursor
 * and a page can stop reading after its last entry.
 */
@ApplicationScoped
class RegistryRepository {

    /** Rows fetched per cursor round trip. */
    static final int FETCH_SIZE = 1000;

    static final String TRAINING = "training";
    static final String TUNING = "tuning";

    @Inject
    Pool pool;

    /**
     * Versions of every (dataset_id, model_type) matching the filter and after the cursor, ordered
     * by (dataset_id, model_type, version DESC); with {@code pairLimit}, only the first that many
     * pairs that have a listed version (a page reads its own pairs and the one after, nothing more).
     * Consecutive versions of a pair share one {@link RegistryCursor} key object.
     */
    Multi<ListedVersion> streamVersions(ModelFilter filter, RegistryCursor after, Integer pairLimit) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder("WHERE true");
        if (filter.datasetId() != null) {
            args.add(filter.datasetId());
            where.append(" AND c.dataset_id = $").append(args.size());
        }
        if (filter.modelType() != null) {
            args.add(filter.modelType());
            where.append(" AND c.model_type = $").append(args.size());
        }
        if (after != null) {
            args.add(after.datasetId());
            args.add(after.modelType());
            where.append(" AND (c.dataset_id, c.model_type) > ($").append(args.size() - 1)
                    .append(", $").append(args.size()).append(')');
        }
        // Conditions on a version's metadata (archive flag, tags), inside each branch so that the
        // versions_limit LIMITs count listed versions only.
        StringBuilder metadata = new StringBuilder();
        if (!filter.includeArchived()) {
            // "archived_at IS NULL", written so that the planner estimates it at 1/3 whatever the
            // statistics: on empty or unanalyzed metadata tables it took IS NULL for 0.5 %, and read
            // and sorted every version of a pair for versions_limit (821 ms instead of 54 ms, see
            // docs/benchmarks.md). No archive time reaches the year 294276.
            metadata.append(" AND coalesce(m.archived_at, 'infinity'::timestamptz) > '294276-01-01 00:00:00+00'::timestamptz");
        }
        for (ModelFilter.TagFilter tag : filter.tags()) {
            if (tag.value() == null) {
                args.add(tag.key());
                metadata.append(" AND m.tags ? $").append(args.size());
            } else {
                args.add(new JsonObject().put(tag.key(), tag.value()));
                metadata.append(" AND m.tags @> $").append(args.size());
            }
        }
        List<String> branches = new ArrayList<>();
        if (filter.source() == null || TRAINING.equals(filter.source())) {
            branches.add("""
                    SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, NULL::float8 AS best_score,
                           t.hyperparameters, t.completed_at, m.description, m.tags, m.archived_at
                    FROM training_job t %s
                    WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type AND t.status = 'COMPLETED'""".formatted(metadataOf("t")) + metadata);
        }
        if (filter.source() == null || TUNING.equals(filter.source())) {
            branches.add("""
                    SELECT u.version, u.id, 'tuning' AS source, u.task, u.metrics, u.best_score, u.hyperparameters,
                           u.completed_at, m.description, m.tags, m.archived_at
                    FROM tuning_job u %s
                    WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type AND u.status = 'COMPLETED'""".formatted(metadataOf("u")) + metadata);
        }
        // Every counter row has at least one COMPLETED version (it is bumped only by a completion);
        // with a source, archive or tag filter, only pairs with a listed version are entries (so
        // that a page of n pairs has n entries). ORDER BY version DESC LIMIT 1 makes the probe a
        // backward scan of the version index that stops at the pair's newest listed version (a
        // plain EXISTS was planned as a sort of all the pair's versions: 20 ms per pair).
        if (filter.source() != null || !metadata.isEmpty()) {
            where.append(" AND EXISTS (SELECT 1 FROM (\n(").append(String.join(" ORDER BY version DESC LIMIT 1)\nUNION ALL\n(", branches))
                    .append(" ORDER BY version DESC LIMIT 1)\n) e)");
        }
        String limitPairs = "";
        if (pairLimit != null) {
            args.add(pairLimit);
            limitPairs = " LIMIT $" + args.size();
        }
        String versions;
        if (filter.versionsLimit() == null) {
            versions = String.join("\nUNION ALL\n", branches);
        } else {
            // The newest n of each table (backward scans of the version indexes, n rows each), merged;
            // without the inner LIMITs the planner reads and sorts every version of the pair.
            args.add(filter.versionsLimit());
            String limit = " ORDER BY version DESC LIMIT $" + args.size();
            versions = "SELECT * FROM (\n(" + String.join(limit + ")\nUNION ALL\n(", branches) + limit
                    + ")\n) x ORDER BY x.version DESC LIMIT $" + args.size();
        }
        // Aliases: one read of the pair's aliased job ids (primary key prefix of model_version_alias),
        // and the names only for the versions among them; no probe for the others.
        String sql = """
                SELECT c.dataset_id, c.model_type, d.name AS dataset_name, dep.job_id AS deployed_job_id,
                       dep.version AS deployed_version, v.version, v.id, v.source, v.task, v.metrics::text AS metrics,
                       v.best_score, v.hyperparameters::text AS hyperparameters, v.completed_at,
                       v.description, v.tags::text AS tags, v.archived_at IS NOT NULL AS archived,
                       CASE WHEN v.id = ANY (al.jobs) THEN
                           ARRAY(SELECT a.alias FROM model_version_alias a WHERE a.job_id = v.id ORDER BY a.alias) END AS aliases
                FROM (SELECT c.dataset_id, c.model_type FROM model_version_counter c
                      %s
                      ORDER BY c.dataset_id, c.model_type%s) c
                JOIN dataset d ON d.id = c.dataset_id
                LEFT JOIN deployment dep ON dep.is_active AND dep.dataset_id = c.dataset_id AND dep.model_type = c.model_type
                LEFT JOIN LATERAL (SELECT array_agg(a.job_id) AS jobs FROM model_version_alias a
                                   WHERE a.dataset_id = c.dataset_id AND a.model_type = c.model_type) al ON true
                CROSS JOIN LATERAL (
                %s
                ) v
                ORDER BY c.dataset_id, c.model_type, v.version DESC""".formatted(where, limitPairs, versions);
        Tuple params = Tuple.from(args);
        return Multi.createFrom().deferred(() -> {
            // key objects are shared by consecutive rows of a pair, so a run costs one key
            RegistryCursor[] last = new RegistryCursor[1];
            return stream(sql, params).map(row -> toListedVersion(row, last));
        });
    }

    /**
     * The metadata of a version row of alias {@code job}: a primary-key probe per row. The LIMIT 1
     * keeps the subquery from being pulled up into a join, which the planner made a hash join
     * rebuilt from the whole metadata table for every pair.
     */
    private static String metadataOf(String job) {
        return "LEFT JOIN LATERAL (SELECT m.description, m.tags, m.archived_at FROM model_version_metadata m WHERE m.job_id = "
                + job + ".id LIMIT 1) m ON true";
    }

    /**
     * A version row of {@link #streamVersions}.
     *
     * @param key             the (dataset_id, model_type) of its entry
     * @param deployedVersion the entry's deployed version, or null when none of its versions is deployed
     */
    record ListedVersion(RegistryCursor key, ModelVersionResponse version, Integer deployedVersion) {
    }

    private static ListedVersion toListedVersion(Row row, RegistryCursor[] last) {
        String datasetId = row.getString("dataset_id");
        String modelType = row.getString("model_type");
        RegistryCursor key = last[0];
        if (key == null || !key.datasetId().equals(datasetId) || !key.modelType().equals(modelType)) {
            key = new RegistryCursor(datasetId, modelType);
            last[0] = key;
        }
        String jobId = row.getString("id");
        String deployedJob = row.getString("deployed_job_id");
        ModelVersionResponse v = new ModelVersionResponse(row.getInteger("version"), jobId,
                row.getString("source"), datasetId, row.getString("dataset_name"), modelType,
                row.getString("task"), row.getString("metrics"), row.getDouble("best_score"),
                row.getString("hyperparameters"), jobId.equals(deployedJob), instant(row, "completed_at"),
                strings(row, "aliases"), tags(row), row.getString("description"), row.getBoolean("archived"));
        return new ListedVersion(key, v, row.getInteger("deployed_version"));
    }

    /**
     * Streams the rows of a query through a cursor ({@link #FETCH_SIZE} rows per round trip), on a
     * connection and read-only transaction of its own that are released when the stream completes,
     * fails or is cancelled (a page that has its entries cancels the rest).
     */
    Multi<Row> stream(String sql, Tuple args) {
        return Multi.createFrom().resourceFromUni(() -> pool.getConnection().map(Cursor::new),
                cursor -> cursor.open(sql, args))
                .withFinalizer(Cursor::release);
    }

    private static final class Cursor {
        private final SqlConnection connection;
        private Transaction transaction;
        private PreparedStatement statement;

        Cursor(SqlConnection connection) {
            this.connection = connection;
        }

        Multi<Row> open(String sql, Tuple args) {
            return connection.begin()
                    .invoke(tx -> transaction = tx)
                    .chain(() -> connection.prepare(sql))
                    .invoke(ps -> statement = ps)
                    .onItem().transformToMulti(ps -> ps.createStream(FETCH_SIZE, args).toMulti());
        }

        Uni<Void> release() {
            Uni<Void> closeStatement = statement == null ? Uni.createFrom().voidItem()
                    : statement.close().onFailure().recoverWithNull();
            return closeStatement
                    .chain(() -> transaction == null ? Uni.createFrom().voidItem()
                            : transaction.rollback().onFailure().recoverWithNull())
                    .eventually(connection::close);
        }
    }

    /**
     * The registry's generation (V10): a number PostgreSQL bumps in the transaction of any change of what
     * the registry view shows (a job completing, metadata, aliases, deployments, a dataset's name). Read
     * before a page's query, it tells whether a page read under an earlier generation may be served again.
     */
    Uni<Long> generation() {
        return query("SELECT generation FROM registry_generation", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong("generation"));
    }

    /** Rows of a short query. */
    private Uni<RowSet<Row>> query(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args);
    }

    /**
     * The version the next completion of the pair takes: the counter's last version + 1 (1 when the
     * pair has none), or null when the dataset does not exist.
     */
    Uni<Integer> nextVersion(String datasetId, String modelType) {
        return query("""
                SELECT coalesce((SELECT last_version FROM model_version_counter
                                 WHERE dataset_id = $1 AND model_type = $2), 0) + 1 AS next_version,
                       EXISTS (SELECT 1 FROM dataset WHERE id = $1) AS dataset_exists""",
                Tuple.of(datasetId, modelType)).map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getBoolean("dataset_exists") ? row.getInteger("next_version") : null;
                });
    }

    /**
     * Per (dataset_id, model_type): its number of versions, the completed tuning versions among
     * them, the dataset name, and the pair's best version by its primary metric (accuracy for
     * classification, r2 for regression; through the V2 metric indexes) for each task the pair has.
     *
     * <p>The number of versions is the counter's {@code last_version}: versions are taken from the
     * counter in the transaction that marks a job COMPLETED, one per completed job, and a completed
     * job is never deleted nor leaves COMPLETED (V3 trigger), so versions 1..last_version all exist
     * and nothing else does. One statement, one snapshot: a completion is seen whole or not at all.
     * Tuning versions are counted by an index-only scan of the partial tuning version index.
     *
     * <p>The best version of a (pair, task, table) is the first entry of its V2 metric index. jsonb
     * orders Object > Array > Boolean > Number > String > Null, so the range {@code score < 'false'}
     * (an index condition) skips booleans, arrays and objects, and the first entry left is the
     * highest number when the pair has a numeric score at all; a non-number there (a NaN stored as
     * null, a missing metric) means it has none and is dropped after the LIMIT. A
     * {@code jsonb_typeof(score) = 'number'} filter inside the LIMIT gives the same answer, but its
     * 1-row estimate made the planner read and sort every version of the pair (bitmap heap scans,
     * 36,000 heap blocks over the 100,000-version benchmark: 210 ms instead of 26 ms).
     *
     * <p>Archived versions (V5 metadata) are skipped when looking for the best: the index scan goes on
     * past them, one primary-key probe of model_version_metadata per index entry read.
     *
     * <p>Rows come in (dataset_id, model_type, task) order: one per task the pair has a best version
     * for, or a single one with a null {@code best} when it has none.
     */
    Multi<PairStats> streamStats() {
        return stream("""
                SELECT c.dataset_id, c.model_type, d.name AS dataset_name, c.last_version::int8 AS versions,
                       (SELECT count(*) FROM tuning_job u WHERE u.dataset_id = c.dataset_id
                               AND u.model_type = c.model_type AND u.status = 'COMPLETED') AS tuning,
                       b.task, b.metric, b.value, b.version, b.id, b.source
                FROM model_version_counter c
                JOIN dataset d ON d.id = c.dataset_id
                LEFT JOIN LATERAL (
                    SELECT DISTINCT ON (x.task) x.task,
                           CASE x.task WHEN 'classification' THEN 'accuracy' ELSE 'r2' END AS metric,
                           (x.score)::float8 AS value, x.version, x.id, x.source
                    FROM (
                        (SELECT t.task, %1$s AS score, t.version, t.id, 'training' AS source
                         FROM training_job t WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type
                              AND t.status = 'COMPLETED' AND t.task = 'classification'
                              AND %1$s < 'false'::jsonb
                              AND NOT EXISTS (SELECT 1 FROM model_version_metadata m WHERE m.job_id = t.id AND m.archived_at IS NOT NULL)
                         ORDER BY %1$s DESC NULLS LAST, t.version DESC LIMIT 1)
                        UNION ALL
                        (SELECT t.task, %1$s, t.version, t.id, 'training'
                         FROM training_job t WHERE t.dataset_id = c.dataset_id AND t.model_type = c.model_type
                              AND t.status = 'COMPLETED' AND t.task = 'regression'
                              AND %1$s < 'false'::jsonb
                              AND NOT EXISTS (SELECT 1 FROM model_version_metadata m WHERE m.job_id = t.id AND m.archived_at IS NOT NULL)
                         ORDER BY %1$s DESC NULLS LAST, t.version DESC LIMIT 1)
                        UNION ALL
                        (SELECT u.task, %2$s, u.version, u.id, 'tuning'
                         FROM tuning_job u WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type
                              AND u.status = 'COMPLETED' AND u.task = 'classification'
                              AND %2$s < 'false'::jsonb
                              AND NOT EXISTS (SELECT 1 FROM model_version_metadata m WHERE m.job_id = u.id AND m.archived_at IS NOT NULL)
                         ORDER BY %2$s DESC NULLS LAST, u.version DESC LIMIT 1)
                        UNION ALL
                        (SELECT u.task, %2$s, u.version, u.id, 'tuning'
                         FROM tuning_job u WHERE u.dataset_id = c.dataset_id AND u.model_type = c.model_type
                              AND u.status = 'COMPLETED' AND u.task = 'regression'
                              AND %2$s < 'false'::jsonb
                              AND NOT EXISTS (SELECT 1 FROM model_version_metadata m WHERE m.job_id = u.id AND m.archived_at IS NOT NULL)
                         ORDER BY %2$s DESC NULLS LAST, u.version DESC LIMIT 1)
                    ) x
                    WHERE jsonb_typeof(x.score) = 'number'
                    ORDER BY x.task, x.score DESC, x.version DESC
                ) b ON true
                ORDER BY c.dataset_id, c.model_type, b.task""".formatted(score("t"), score("u")), Tuple.tuple())
                .map(RegistryRepository::toPairStats);
    }

    /**
     * A row of {@link #streamStats}.
     *
     * @param versions all versions of the pair (training and tuning)
     * @param tuning   the tuning versions among them
     * @param best     the pair's best version for one task, or null
     */
    record PairStats(String datasetId, String modelType, String datasetName, long versions, long tuning,
            RegistryStatsResponse.BestMetric best) {
    }

    private static PairStats toPairStats(Row r) {
        String datasetId = r.getString("dataset_id");
        String modelType = r.getString("model_type");
        RegistryStatsResponse.BestMetric best = r.getString("task") == null ? null
                : new RegistryStatsResponse.BestMetric(modelType, datasetId, r.getString("dataset_name"),
                        r.getString("task"), r.getString("metric"), r.getDouble("value"), r.getInteger("version"),
                        r.getString("id"), r.getString("source"));
        return new PairStats(datasetId, modelType, r.getString("dataset_name"), r.getLong("versions"), r.getLong("tuning"), best);
    }

    /**
     * A version as {@link #findVersionsToCompare} reads it (jsonb columns as text).
     */
    record ComparedRow(int version, String jobId, String source, String task, String metrics, String hyperparameters,
            Instant createdAt, String datasetName, boolean archived, List<String> aliases, String featureImportance) {
    }

    /** The listed versions of (dataset, model type) that exist, archived ones included, in no particular order. */
    Uni<List<ComparedRow>> findVersionsToCompare(String datasetId, String modelType, List<Integer> versions) {
        return query("""
                SELECT v.version, v.id, v.source, v.task, v.metrics::text AS metrics, v.hyperparameters::text AS hyperparameters,
                       v.feature_importance::text AS feature_importance,
                       v.completed_at, d.name AS dataset_name, m.archived_at IS NOT NULL AS archived,
                       ARRAY(SELECT a.alias FROM model_version_alias a WHERE a.job_id = v.id ORDER BY a.alias) AS aliases
                FROM (SELECT t.version, t.id, 'training' AS source, t.task, t.metrics, t.hyperparameters, t.feature_importance,
                             t.completed_at, t.dataset_id
                      FROM training_job t
                      WHERE t.dataset_id = $1 AND t.model_type = $2 AND t.version = ANY($3) AND t.status = 'COMPLETED'
                      UNION ALL
                      SELECT u.version, u.id, 'tuning', u.task, u.metrics, u.hyperparameters, u.feature_importance,
                             u.completed_at, u.dataset_id
                      FROM tuning_job u
                      WHERE u.dataset_id = $1 AND u.model_type = $2 AND u.version = ANY($3) AND u.status = 'COMPLETED') v
                JOIN dataset d ON d.id = v.dataset_id
                LEFT JOIN model_version_metadata m ON m.job_id = v.id""",
                Tuple.of(datasetId, modelType, versions.toArray(Integer[]::new)))
                .map(rows -> {
                    List<ComparedRow> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new ComparedRow(r.getInteger("version"), r.getString("id"), r.getString("source"),
                                r.getString("task"), r.getString("metrics"), r.getString("hyperparameters"),
                                instant(r, "completed_at"), r.getString("dataset_name"), r.getBoolean("archived"),
                                strings(r, "aliases"), r.getString("feature_importance")));
                    }
                    return out;
                });
    }

    /** The number of archived versions (an index-only scan of model_version_metadata_archived_idx). */
    Uni<Long> archivedVersions() {
        return query("SELECT count(*) FROM model_version_metadata WHERE archived_at IS NOT NULL", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The primary-metric expression of V2__registry_indexes.sql (must stay identical to it). */
    private static String score(String alias) {
        return "(CASE " + alias + ".task WHEN 'classification' THEN " + alias + ".metrics -> 'accuracy' ELSE "
                + alias + ".metrics -> 'r2' END)";
    }

    /** The active deployment with its dataset name, or null when nothing is deployed. */
    Uni<RegistryStatsResponse.ActiveDeployment> activeDeployment() {
        return query("""
                SELECT dep.id, dep.job_id, dep.source, dep.dataset_id, d.name AS dataset_name, dep.model_type,
                       dep.version, dep.created_at
                FROM deployment dep JOIN dataset d ON d.id = dep.dataset_id
                WHERE dep.is_active""", Tuple.tuple())
                .map(rows -> rows.iterator().hasNext() ? toActive(rows.iterator().next()) : null);
    }

    private static RegistryStatsResponse.ActiveDeployment toActive(Row r) {
        return new RegistryStatsResponse.ActiveDeployment(r.getString("id"), r.getString("job_id"),
                r.getString("source"), r.getString("dataset_id"), r.getString("dataset_name"),
                r.getString("model_type"), r.getInteger("version"), instant(r, "created_at"));
    }

    /** Up to two datasets on which the model type has taken versions (two means "ambiguous"). */
    Uni<List<String>> datasetsWithVersions(String modelType) {
        return query("SELECT dataset_id FROM model_version_counter WHERE model_type = $1 ORDER BY dataset_id LIMIT 2",
                Tuple.of(modelType))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /** One completed version with its lineage (durations in milliseconds), or null when it does not exist. */
    Uni<ModelVersionLineageResponse> findVersion(String datasetId, String modelType, int version) {
        return query("""
                SELECT v.*, d.name AS dataset_name, d.sha256 AS dataset_sha256,
                       a.sha256 AS artifact_sha256, a.size_bytes AS artifact_size_bytes, a.format AS artifact_format,
                       EXISTS (SELECT 1 FROM deployment dep WHERE dep.is_active AND dep.job_id = v.id) AS is_deployed,
                       tr.trial_count, tr.trials_duration_ms, bt.trial_index AS best_trial_index,
                       bt.mean_score AS best_trial_mean_score, bt.std_score AS best_trial_std_score,
                       m.description, m.tags::text AS tags, m.archived_at IS NOT NULL AS archived,
                       ARRAY(SELECT al.alias FROM model_version_alias al WHERE al.job_id = v.id ORDER BY al.alias) AS aliases
                FROM (
                    SELECT t.id, 'training' AS source, t.dataset_id, t.model_type, t.task, t.version, t.target_column,
                           t.feature_columns, t.preprocessing::text AS preprocessing,
                           t.hyperparameters::text AS hyperparameters, t.metrics::text AS metrics, t.test_size,
                           t.random_seed, NULL::varchar AS strategy, NULL::varchar AS scoring, NULL::int AS cv_folds,
                           NULL::float8 AS best_score, NULL::text AS best_params, NULL::text AS search_space,
                           t.artifact_id, t.created_at, t.started_at, t.completed_at,
                           t.feature_importance::text AS feature_importance
                    FROM training_job t
                    WHERE t.dataset_id = $1 AND t.model_type = $2 AND t.version = $3 AND t.status = 'COMPLETED'
                    UNION ALL
                    SELECT u.id, 'tuning', u.dataset_id, u.model_type, u.task, u.version, u.target_column,
                           u.feature_columns, u.preprocessing::text, u.hyperparameters::text, u.metrics::text,
                           u.test_size, u.random_seed, u.strategy, u.scoring, u.cv_folds, u.best_score,
                           u.best_params::text, u.search_space::text, u.artifact_id, u.created_at, u.started_at,
                           u.completed_at, u.feature_importance::text
                    FROM tuning_job u
                    WHERE u.dataset_id = $1 AND u.model_type = $2 AND u.version = $3 AND u.status = 'COMPLETED'
                ) v
                JOIN dataset d ON d.id = v.dataset_id
                JOIN model_artifact a ON a.id = v.artifact_id
                LEFT JOIN model_version_metadata m ON m.job_id = v.id
                LEFT JOIN LATERAL (
                    SELECT count(*) AS trial_count, sum(duration_ms)::bigint AS trials_duration_ms
                    FROM tuning_trial WHERE tuning_job_id = v.id
                ) tr ON v.source = 'tuning'
                LEFT JOIN LATERAL (
                    SELECT trial_index, mean_score, std_score FROM tuning_trial
                    WHERE tuning_job_id = v.id ORDER BY mean_score DESC, trial_index LIMIT 1
                ) bt ON v.source = 'tuning'
                LIMIT 1""", Tuple.of(datasetId, modelType, version))
                .map(rows -> rows.iterator().hasNext() ? toLineage(rows.iterator().next()) : null);
    }

    private static ModelVersionLineageResponse toLineage(Row r) {
        boolean tuning = TUNING.equals(r.getString("source"));
        Instant started = instant(r, "started_at");
        Instant completed = instant(r, "completed_at");
        Long duration = started != null && completed != null
                ? java.time.Duration.between(started, completed).toMillis() : null;
        String[] features = r.getArrayOfStrings("feature_columns");
        ModelVersionLineageResponse.Tuning t = !tuning ? null : new ModelVersionLineageResponse.Tuning(
                r.getString("strategy"), r.getString("scoring"), r.getInteger("cv_folds"), r.getDouble("best_score"),
                r.getString("best_params"), r.getString("search_space"),
                r.getLong("trial_count") == null ? 0 : r.getLong("trial_count"), r.getInteger("best_trial_index"),
                r.getDouble("best_trial_mean_score"), r.getDouble("best_trial_std_score"),
                r.getLong("trials_duration_ms"));
        return new ModelVersionLineageResponse(r.getInteger("version"), r.getString("id"), r.getString("source"),
                r.getString("model_type"), r.getString("task"), r.getBoolean("is_deployed"),
                new ModelVersionLineageResponse.DatasetRef(r.getString("dataset_id"), r.getString("dataset_name"),
                        r.getString("dataset_sha256")),
                r.getString("target_column"), features == null ? List.of() : List.of(features),
                r.getString("preprocessing"), r.getString("hyperparameters"), r.getString("metrics"),
                r.getDouble("test_size"), r.getLong("random_seed"), t,
                new ModelVersionLineageResponse.Artifact(r.getString("artifact_id"), r.getString("artifact_sha256"),
                        r.getLong("artifact_size_bytes"), r.getString("artifact_format")),
                new ModelVersionLineageResponse.Timings(instant(r, "created_at"), started, completed, duration),
                strings(r, "aliases"), tags(r), r.getString("description"), r.getBoolean("archived"),
                r.getString("feature_importance"));
    }
    /** A text[] column as a list; empty for null. */
    static List<String> strings(Row row, String column) {
        String[] values = row.getArrayOfStrings(column);
        return values == null ? List.of() : List.of(values);
    }

    /** The {@code tags} column (jsonb as text), {@code {}} when the version has no metadata row. */
    static String tags(Row row) {
        String tags = row.getString("tags");
        return tags == null ? "{}" : tags;
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime t = row.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
