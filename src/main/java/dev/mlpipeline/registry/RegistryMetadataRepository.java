package dev.mlpipeline.registry;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.deployment.DeploymentRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of the registry's metadata (V5): aliases ({@code model_version_alias}) and the description,
 * tags and archive flag of a version ({@code model_version_metadata}), all keyed by the job id of
 * the version, never copies of job data.
 *
 * <p>Concurrency. Setting an alias and archiving a version each take a transaction-scoped advisory
 * lock on the version ({@link #VERSION_LOCK_CLASS}, hash of the job id) before checking, so that an
 * alias is never set on a version being archived nor a version archived while an alias is set on
 * it. Archiving also takes the deploy lock ({@link DeploymentRepository#DEPLOY_LOCK}) first, so a
 * concurrent deploy is either seen (409) or sees the archive (the V5 trigger on {@code deployment}
 * refuses it). Lock order is always deploy lock, then version lock: no deadlock. Moving an alias is
 * one upsert of its (dataset, model type, alias) row; concurrent moves are serialized by that row's
 * lock and the last one wins, whole.
 */
@ApplicationScoped
class RegistryMetadataRepository {

    /** First key of the two-key advisory locks on versions (the second is hashtext(job_id)); "mvmd". */
    static final int VERSION_LOCK_CLASS = 0x6d76_6d64;

    @Inject
    Pool pool;

    /**
     * A version as metadata operations see it.
     *
     * @param archived true when the version is archived
     */
    record VersionRef(String jobId, String source, int version, boolean archived) {
    }

    private static final String BY_VERSION = """
            SELECT v.id, v.source, v.version, m.archived_at IS NOT NULL AS archived
            FROM (SELECT t.id, 'training' AS source, t.version FROM training_job t
                  WHERE t.dataset_id = $1 AND t.model_type = $2 AND t.version = $3 AND t.status = 'COMPLETED'
                  UNION ALL
                  SELECT u.id, 'tuning', u.version FROM tuning_job u
                  WHERE u.dataset_id = $1 AND u.model_type = $2 AND u.version = $3 AND u.status = 'COMPLETED') v
            LEFT JOIN model_version_metadata m ON m.job_id = v.id""";

    private static final String BY_ALIAS = """
            SELECT v.id, v.source, v.version, m.archived_at IS NOT NULL AS archived
            FROM model_version_alias a
            CROSS JOIN LATERAL (SELECT t.id, 'training' AS source, t.version FROM training_job t WHERE t.id = a.job_id
                                UNION ALL
                                SELECT u.id, 'tuning', u.version FROM tuning_job u WHERE u.id = a.job_id) v
            LEFT JOIN model_version_metadata m ON m.job_id = v.id
            WHERE a.dataset_id = $1 AND a.model_type = $2 AND a.alias = $3""";

    /** Version {@code version} of (dataset, model type), or null when it does not exist. */
    Uni<VersionRef> findVersion(String datasetId, String modelType, int version) {
        return one(pool, BY_VERSION, Tuple.of(datasetId, modelType, version));
    }

    /** The version the alias points at, or null when the (dataset, model type) has no such alias. */
    Uni<VersionRef> findAlias(String datasetId, String modelType, String alias) {
        return one(pool, BY_ALIAS, Tuple.of(datasetId, modelType, alias));
    }

    private static Uni<VersionRef> one(SqlClient client, String sql, Tuple args) {
        return client.preparedQuery(sql).execute(args).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            return new VersionRef(r.getString("id"), r.getString("source"), r.getInteger("version"), r.getBoolean("archived"));
        });
    }

    /** What {@link #setAlias} did. */
    enum AliasStatus {
        SET, NO_SUCH_VERSION, ARCHIVED
    }

    /**
     * @param target          the version the alias points at now (null for NO_SUCH_VERSION)
     * @param previousVersion the version it pointed at before, null when it is new
     * @param updatedAt       when it was set (database clock); null unless SET
     */
    record AliasOutcome(AliasStatus status, VersionRef target, Integer previousVersion, Instant updatedAt) {
    }

    /**
     * Points the alias at version {@code version} of (dataset, model type), creating or moving it in
     * one upsert, unless the version does not exist or is archived (then nothing is written).
     */
    Uni<AliasOutcome> setAlias(String datasetId, String modelType, String alias, int version) {
        return pool.withTransaction(conn -> one(conn, BY_VERSION, Tuple.of(datasetId, modelType, version))
                .flatMap(ref -> {
                    if (ref == null) {
                        return Uni.createFrom().item(new AliasOutcome(AliasStatus.NO_SUCH_VERSION, null, null, null));
                    }
                    return lockVersion(conn, ref.jobId())
                            .chain(() -> isArchived(conn, ref.jobId()))
                            .flatMap(archived -> archived
                                    ? Uni.createFrom().item(new AliasOutcome(AliasStatus.ARCHIVED, ref, null, null))
                                    : upsertAlias(conn, datasetId, modelType, alias, ref));
                }));
    }

    private static Uni<AliasOutcome> upsertAlias(SqlConnection conn, String datasetId, String modelType, String alias,
            VersionRef ref) {
        // prev reads the row as it was before this statement (its previous job's version).
        return conn.preparedQuery("""
                WITH prev AS (
                    SELECT (SELECT t.version FROM training_job t WHERE t.id = a.job_id
                            UNION ALL SELECT u.version FROM tuning_job u WHERE u.id = a.job_id LIMIT 1) AS version
                    FROM model_version_alias a WHERE a.dataset_id = $1 AND a.model_type = $2 AND a.alias = $3)
                INSERT INTO model_version_alias AS a (dataset_id, model_type, alias, job_id, updated_at)
                VALUES ($1, $2, $3, $4, clock_timestamp())
                ON CONFLICT (dataset_id, model_type, alias) DO UPDATE SET job_id = EXCLUDED.job_id, updated_at = EXCLUDED.updated_at
                RETURNING a.updated_at, (SELECT version FROM prev) AS previous_version""")
                .execute(Tuple.of(datasetId, modelType, alias, ref.jobId()))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new AliasOutcome(AliasStatus.SET, ref, r.getInteger("previous_version"),
                            r.getOffsetDateTime("updated_at").toInstant());
                });
    }

    /** Removes the alias; false when the (dataset, model type) had no such alias. */
    Uni<Boolean> deleteAlias(String datasetId, String modelType, String alias) {
        return pool.preparedQuery("DELETE FROM model_version_alias WHERE dataset_id = $1 AND model_type = $2 AND alias = $3")
                .execute(Tuple.of(datasetId, modelType, alias))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * Applies a JSON merge patch (RFC 7386) to the version's description and tags in one upsert, so
     * that concurrent patches of different tags both apply.
     *
     * @param setDescription true when the patch has a {@code description} member
     * @param description    its value (null removes the description)
     * @param clearTags      true when the patch has {@code "tags": null}: every tag is removed first
     * @param setTags        the tags the patch sets (string values)
     * @param removeTags     the tags the patch removes (members with null values)
     */
    Uni<Void> patch(String jobId, boolean setDescription, String description, boolean clearTags, JsonObject setTags,
            List<String> removeTags) {
        return pool.preparedQuery("""
                INSERT INTO model_version_metadata AS m (job_id, description, tags, updated_at)
                VALUES ($1, $3, $5, clock_timestamp())
                ON CONFLICT (job_id) DO UPDATE SET
                    description = CASE WHEN $2 THEN $3 ELSE m.description END,
                    tags = (CASE WHEN $4 THEN '{}'::jsonb ELSE m.tags END || $5) - $6::text[],
                    updated_at = EXCLUDED.updated_at""")
                .execute(Tuple.of(jobId, setDescription, description, clearTags, setTags, removeTags.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** What {@link #archive} did. */
    enum ArchiveStatus {
        ARCHIVED, DEPLOYED, ALIASED
    }

    /**
     * @param aliases the aliases pointing at the version (ALIASED)
     */
    record ArchiveOutcome(ArchiveStatus status, List<String> aliases) {
    }

    /**
     * Archives the version of job {@code jobId} (keeping the first archive time when it is already
     * archived), unless it is the active deployment or an alias points at it.
     */
    Uni<ArchiveOutcome> archive(String jobId) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(DeploymentRepository.DEPLOY_LOCK))
                .chain(() -> lockVersion(conn, jobId))
                .chain(() -> conn.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM deployment WHERE is_active AND job_id = $1) AS deployed,
                               ARRAY(SELECT alias FROM model_version_alias WHERE job_id = $1 ORDER BY alias) AS aliases""")
                        .execute(Tuple.of(jobId)))
                .flatMap(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getBoolean("deployed")) {
                        return Uni.createFrom().item(new ArchiveOutcome(ArchiveStatus.DEPLOYED, List.of()));
                    }
                    List<String> aliases = RegistryRepository.strings(r, "aliases");
                    if (!aliases.isEmpty()) {
                        return Uni.createFrom().item(new ArchiveOutcome(ArchiveStatus.ALIASED, aliases));
                    }
                    return conn.preparedQuery("""
                            INSERT INTO model_version_metadata AS m (job_id, archived_at, updated_at)
                            VALUES ($1, clock_timestamp(), clock_timestamp())
                            ON CONFLICT (job_id) DO UPDATE SET archived_at = coalesce(m.archived_at, EXCLUDED.archived_at),
                                updated_at = EXCLUDED.updated_at""")
                            .execute(Tuple.of(jobId))
                            .replaceWith(new ArchiveOutcome(ArchiveStatus.ARCHIVED, List.of()));
                }));
    }

    /** Makes the version of job {@code jobId} listed again (nothing to do when it is not archived). */
    Uni<Void> unarchive(String jobId) {
        return pool.preparedQuery("UPDATE model_version_metadata SET archived_at = NULL, updated_at = clock_timestamp()"
                + " WHERE job_id = $1 AND archived_at IS NOT NULL")
                .execute(Tuple.of(jobId)).replaceWithVoid();
    }

    private static Uni<Void> lockVersion(SqlConnection conn, String jobId) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                .execute(Tuple.of(VERSION_LOCK_CLASS, jobId)).replaceWithVoid();
    }

    /** True when the version of job {@code jobId} is archived (false for any other id). */
    Uni<Boolean> isArchived(String jobId) {
        return isArchived(pool, jobId);
    }

    private static Uni<Boolean> isArchived(SqlClient conn, String jobId) {
        return conn.preparedQuery("SELECT EXISTS (SELECT 1 FROM model_version_metadata WHERE job_id = $1 AND archived_at IS NOT NULL)")
                .execute(Tuple.of(jobId)).map(rows -> rows.iterator().next().getBoolean(0));
    }
}
