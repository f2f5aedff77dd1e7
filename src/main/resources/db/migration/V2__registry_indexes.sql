-- Registry statistics: the best version of each (dataset_id, model_type, task) by its primary test
-- metric (accuracy for classification, r2 for regression) is the first entry of these indexes,
-- so GET /api/registry/stats reads one index entry per pair instead of every version's metrics.
-- The expression must stay identical to RegistryRepository.score(...). jsonb numbers compare
-- numerically; the expression never fails, whatever a job writes into metrics.
CREATE INDEX training_job_best_metric_idx ON training_job (dataset_id, model_type, task,
    (CASE task WHEN 'classification' THEN metrics -> 'accuracy' ELSE metrics -> 'r2' END) DESC NULLS LAST,
    version DESC)
    WHERE status = 'COMPLETED';
CREATE INDEX tuning_job_best_metric_idx ON tuning_job (dataset_id, model_type, task,
    (CASE task WHEN 'classification' THEN metrics -> 'accuracy' ELSE metrics -> 'r2' END) DESC NULLS LAST,
    version DESC)
    WHERE status = 'COMPLETED';
