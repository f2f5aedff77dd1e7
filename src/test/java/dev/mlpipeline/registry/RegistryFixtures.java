package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.mlpipeline.common.Ids;
import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.PreprocessingSpec;
import dev.mlpipeline.pipeline.Table;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.Trainer;
import dev.mlpipeline.pipeline.TrainingSpec;

/**
 * Job, artifact, counter and deployment rows written with SQL, as the job code writes them.
 * A test that calls {@link #deploy} undeploys afterwards ({@code ApiFixtures.undeploy()}).
 */
final class RegistryFixtures {

    private final Mutiny.SessionFactory sessions;

    RegistryFixtures(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    void sql(String sql, Object... params) {
        sessions.withTransaction(s -> {
            var q = s.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return q.executeUpdate();
        }).await().indefinitely();
    }

    String artifact() {
        String id = Ids.next("art");
        sql("INSERT INTO model_artifact (id, bytes, sha256, size_bytes, format, created_at) "
                + "VALUES (?1, '\\x0102'::bytea, ?2, 2, 'java-serialized-pipeline-v1', now())", id, "ab".repeat(32));
        return id;
    }

    /** A training job; a version, artifact and counter bump when COMPLETED. */
    String training(String datasetId, String modelType, String status, String metrics) {
        String id = Ids.next("trn");
        boolean done = status.equals("COMPLETED");
        Integer version = done ? takeVersion(datasetId, modelType) : null;
        String artifact = done ? artifact() : null;
        sql("""
                INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns,
                    hyperparameters, preprocessing, test_size, random_seed, status, progress, metrics, version,
                    artifact_id, created_at, started_at, completed_at)
                VALUES (?1, ?2, ?3, 'classification', 'Churn', ARRAY['tenure','MonthlyCharges'],
                    '{"n_estimators":100,"max_depth":null}'::jsonb, '{"scale":"standard"}'::jsonb, 0.2, 42, ?4,
                    1, CAST(?5 AS text)::jsonb, ?6, ?7, now() - interval '3 seconds', now() - interval '2 seconds',
                    CASE WHEN ?4 = 'COMPLETED' THEN now() END)""",
                id, datasetId, modelType, status, done ? metrics : null, version, artifact);
        return id;
    }

    /** A tuning job with three trials; a version when COMPLETED. */
    String tuning(String datasetId, String modelType, String status, String metrics, double bestScore) {
        String id = Ids.next("tun");
        boolean done = status.equals("COMPLETED");
        Integer version = done ? takeVersion(datasetId, modelType) : null;
        String artifact = done ? artifact() : null;
        sql("""
                INSERT INTO tuning_job (id, dataset_id, model_type, task, target_column, feature_columns,
                    hyperparameters, preprocessing, test_size, random_seed, strategy, search_space, cv_folds, scoring,
                    best_params, best_score, status, progress, metrics, version, artifact_id, created_at, started_at,
                    completed_at)
                VALUES (?1, ?2, ?3, 'classification', 'Churn', ARRAY['tenure','MonthlyCharges'],
                    '{"n_estimators":200,"max_depth":8}'::jsonb, '{"scale":"standard"}'::jsonb, 0.2, 42, 'grid',
                    '{"n_estimators":[100,200],"max_depth":[8]}'::jsonb, 5, 'accuracy',
                    CASE WHEN ?4 = 'COMPLETED' THEN '{"n_estimators":200,"max_depth":8}'::jsonb END,
                    CASE WHEN ?4 = 'COMPLETED' THEN CAST(?5 AS float8) END, ?4, 1, CAST(?6 AS text)::jsonb, ?7, ?8,
                    now() - interval '10 seconds', now() - interval '8 seconds', CASE WHEN ?4 = 'COMPLETED' THEN now() END)""",
                id, datasetId, modelType, status, bestScore, done ? metrics : null, version, artifact);
        for (int i = 0; i < 3; i++) {
            sql("""
                    INSERT INTO tuning_trial (tuning_job_id, trial_index, params, mean_score, std_score, fold_scores,
                        duration_ms, created_at)
                    VALUES (?1, ?2, '{"n_estimators":100}'::jsonb, ?3, 0.01, ARRAY[0.8,0.81]::float8[], 100, now())""",
                    id, i, i == 1 ? bestScore : bestScore - 0.05);
        }
        return id;
    }

    /** What the job code does when a job completes: one atomic counter bump. */
    int takeVersion(String datasetId, String modelType) {
        return sessions.withTransaction(s -> s.createNativeQuery("""
                INSERT INTO model_version_counter (dataset_id, model_type, last_version) VALUES (?1, ?2, 1)
                ON CONFLICT (dataset_id, model_type)
                DO UPDATE SET last_version = model_version_counter.last_version + 1
                RETURNING last_version""", Integer.class)
                .setParameter(1, datasetId).setParameter(2, modelType).getSingleResult())
                .await().indefinitely();
    }

    /**
     * Makes this version the single active deployment. Its job first gets an artifact that loads
     * and predicts (a small forest over the job's columns), so that a replica that picks the
     * deployment up (the periodic re-check) warms it instead of failing on the 2-byte placeholder.
     */
    String deploy(String jobId, String source, String datasetId, String modelType, int version) {
        String id = Ids.next("dep");
        sql("UPDATE model_artifact SET bytes = ?1, sha256 = ?2, size_bytes = ?3, format = ?4 WHERE id = (SELECT artifact_id FROM "
                + ("tuning".equals(source) ? "tuning_job" : "training_job") + " WHERE id = ?5)",
                SERVABLE.bytes, SERVABLE.sha256, (long) SERVABLE.bytes.length, ArtifactCodec.FORMAT, jobId);
        sql("UPDATE deployment SET is_active = false, deactivated_at = now() WHERE is_active");
        sql("""
                INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version, is_active, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, true, now())""", id, jobId, source, datasetId, modelType, version);
        return id;
    }

    /** The serialized pipeline {@link #deploy} gives the deployed job. */
    private record Servable(byte[] bytes, String sha256) {
    }

    private static final Servable SERVABLE = servable();

    /** A 5-tree forest on 40 rows of (tenure, MonthlyCharges) → Churn, the columns the fixture jobs name. */
    private static Servable servable() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new String[]{ Integer.toString(i % 72), Double.toString(20 + i * 2.5), i % 3 == 0 ? "Yes" : "No" });
        }
        Table table = new Table(List.of("tenure", "MonthlyCharges", "Churn"), rows);
        TrainingSpec spec = new TrainingSpec("RandomForest", Task.CLASSIFICATION, "Churn", List.of("tenure", "MonthlyCharges"),
                ModelCatalog.find("RandomForest").orElseThrow().validate(Map.of("n_trees", 5)), PreprocessingSpec.defaults(),
                0.2, 42);
        byte[] bytes = ArtifactCodec.serialize(Trainer.train(table, Map.of("tenure", ColumnType.NUMERIC,
                "MonthlyCharges", ColumnType.NUMERIC, "Churn", ColumnType.CATEGORICAL), spec, null, null).pipeline());
        return new Servable(bytes, ArtifactCodec.sha256(bytes));
    }

    static final String ACC_85 = "{\"accuracy\":0.85,\"f1\":0.8}";
    static final String ACC_91 = "{\"accuracy\":0.91,\"f1\":0.88}";
    static final String ACC_92 = "{\"accuracy\":0.92,\"f1\":0.9}";
    static final String ACC_78 = "{\"accuracy\":0.78,\"f1\":0.7}";
}
