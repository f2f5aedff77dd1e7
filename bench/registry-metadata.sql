-- Registry metadata for bench/registry-metadata.sh, over the versions of bench/registry-seed.sql
-- (100,000 versions, 200 pairs): every 10th version tagged (10,000 rows, team/stage/owner), every
-- 100th archived (1,000), a description on every 50th; aliases champion and challenger on two
-- versions of every pair (400 rows).
BEGIN;
INSERT INTO model_version_metadata (job_id, description, tags, archived_at, updated_at)
SELECT j.id,
       CASE WHEN j.version % 50 = 0 THEN 'bench version ' || j.version END,
       CASE WHEN j.version % 10 = 0
            THEN jsonb_build_object('team', (ARRAY['fraud','risk','growth'])[1 + j.version % 3], 'stage', 'dev', 'owner', 'bench')
            ELSE '{}'::jsonb END,
       CASE WHEN j.version % 100 = 1 THEN now() END,
       now()
FROM (SELECT id, version FROM training_job WHERE id LIKE 'trn_bench_%' AND status = 'COMPLETED'
      UNION ALL SELECT id, version FROM tuning_job WHERE id LIKE 'tun_bench_%' AND status = 'COMPLETED') j
WHERE j.version % 10 = 0 OR j.version % 100 = 1 OR j.version % 50 = 0
ON CONFLICT (job_id) DO NOTHING;

INSERT INTO model_version_alias (dataset_id, model_type, alias, job_id, updated_at)
SELECT c.dataset_id, c.model_type, a.alias, j.id, now()
FROM model_version_counter c
CROSS JOIN (VALUES ('champion', 498), ('challenger', 499)) a(alias, version)
JOIN training_job j ON j.dataset_id = c.dataset_id AND j.model_type = c.model_type AND j.version = a.version AND j.status = 'COMPLETED'
WHERE c.dataset_id LIKE 'ds_bench_%'
ON CONFLICT DO NOTHING;
COMMIT;
VACUUM ANALYZE model_version_metadata;
VACUUM ANALYZE model_version_alias;
