-- Benchmark data for bench/registry.sh: 100,000 completed jobs over 200 (dataset, model_type)
-- pairs (40 datasets x 5 model types, 500 versions each; every 5th version is a tuning job),
-- plus a few FAILED/RUNNING jobs that must not show, one shared tiny artifact, the version
-- counters and one active deployment. Idempotent per run: everything uses the bench_ prefix.
BEGIN;
INSERT INTO dataset (id, name, filename, size_bytes, sha256, row_count, column_count, columns, created_at)
SELECT 'ds_bench_' || lpad(d::text, 3, '0'), 'bench dataset ' || d, 'bench_' || d || '.csv', 1000,
       repeat('a', 64), 100, 3,
       '{"columns":[{"name":"x","type":"numeric","missing":0,"distinct":100,"distinct_exact":true}]}', now()
FROM generate_series(1, 40) d;

INSERT INTO model_artifact (id, bytes, sha256, size_bytes, format, created_at)
VALUES ('art_bench', '\x00', repeat('b', 64), 1, 'java-serialized-pipeline-v1', now());

CREATE TEMP TABLE bench_job AS
SELECT 'ds_bench_' || lpad(d::text, 3, '0') AS dataset_id,
       (ARRAY['RandomForest','GradientBoosting','DecisionTree','LogisticRegression','Ridge'])[m] AS model_type,
       CASE WHEN m = 5 THEN 'regression' ELSE 'classification' END AS task,
       v AS version,
       (v % 5 = 0) AS tuning,
       now() - make_interval(secs => 100000 - v * 100 - d) AS completed_at,
       d, m
FROM generate_series(1, 40) d, generate_series(1, 5) m, generate_series(1, 500) v;

INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns, hyperparameters,
    preprocessing, test_size, random_seed, status, progress, metrics, version, artifact_id,
    created_at, started_at, completed_at)
SELECT 'trn_bench_' || d || '_' || m || '_' || version, dataset_id, model_type, task, 'target',
       ARRAY['f1','f2','f3','f4'],
       jsonb_build_object('n_estimators', 100 + version % 7, 'max_depth', 10, 'min_samples_split', 2,
                          'min_samples_leaf', 1, 'max_features', 'sqrt'),
       '{"impute_numeric":"median","impute_categorical":"most_frequent","scale":"standard","encode":"onehot"}',
       0.2, 42, 'COMPLETED', 1,
       CASE WHEN task = 'classification'
            THEN jsonb_build_object('accuracy', round((0.6 + random() * 0.35)::numeric, 4), 'precision', 0.8,
                                    'recall', 0.7, 'f1', 0.75)
            ELSE jsonb_build_object('rmse', round((random() * 3)::numeric, 4), 'mae', 1.2,
                                    'r2', round((random())::numeric, 4)) END,
       version, 'art_bench', completed_at - interval '2 minutes', completed_at - interval '1 minute', completed_at
FROM bench_job WHERE NOT tuning;

INSERT INTO tuning_job (id, dataset_id, model_type, task, target_column, feature_columns, hyperparameters,
    preprocessing, test_size, random_seed, strategy, search_space, n_iter, cv_folds, scoring, best_params,
    best_score, status, progress, metrics, version, artifact_id, created_at, started_at, completed_at)
SELECT 'tun_bench_' || d || '_' || m || '_' || version, dataset_id, model_type, task, 'target',
       ARRAY['f1','f2','f3','f4'],
       jsonb_build_object('n_estimators', 200, 'max_depth', 12, 'min_samples_split', 2,
                          'min_samples_leaf', 1, 'max_features', 'sqrt'),
       '{"impute_numeric":"median","impute_categorical":"most_frequent","scale":"standard","encode":"onehot"}',
       0.2, 42, 'grid', '{"n_estimators":[100,200],"max_depth":[8,12]}', NULL, 5,
       CASE WHEN task = 'classification' THEN 'accuracy' ELSE 'r2' END,
       '{"n_estimators":200,"max_depth":12}', round((0.6 + random() * 0.35)::numeric, 4),
       'COMPLETED', 1,
       CASE WHEN task = 'classification'
            THEN jsonb_build_object('accuracy', round((0.6 + random() * 0.35)::numeric, 4), 'precision', 0.8,
                                    'recall', 0.7, 'f1', 0.75)
            ELSE jsonb_build_object('rmse', round((random() * 3)::numeric, 4), 'mae', 1.2,
                                    'r2', round((random())::numeric, 4)) END,
       version, 'art_bench', completed_at - interval '5 minutes', completed_at - interval '4 minutes', completed_at
FROM bench_job WHERE tuning;

-- Jobs without a version: never listed.
INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns, hyperparameters,
    preprocessing, test_size, random_seed, status, progress, error, created_at)
SELECT 'trn_bench_failed_' || g, 'ds_bench_001', 'RandomForest', 'classification', 'target', ARRAY['f1'],
       '{}', '{}', 0.2, 42, CASE WHEN g % 2 = 0 THEN 'FAILED' ELSE 'RUNNING' END, 0.5, NULL, now()
FROM generate_series(1, 100) g;

INSERT INTO model_version_counter (dataset_id, model_type, last_version)
SELECT DISTINCT dataset_id, model_type, 500 FROM bench_job;

INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version, is_active, created_at)
VALUES ('dep_bench', 'trn_bench_7_1_499', 'training', 'ds_bench_007', 'RandomForest', 499, true, now());
COMMIT;
VACUUM ANALYZE;
