-- Invariant 4: a COMPLETED job is final. It is never deleted, and its status, version, dataset and
-- model type never change. With invariant 2 (versions are taken from model_version_counter in the
-- transaction that marks a job COMPLETED, one per job), this makes model_version_counter.last_version
-- the exact number of versions of its (dataset_id, model_type): versions 1..last_version exist and no
-- other. GET /api/registry/stats relies on it instead of counting 100,000s of rows. The API has no
-- job deletion and refuses to delete a dataset that jobs refer to; this guards every other path
-- (SQL by hand, future code). TRUNCATE bypasses row triggers: it is an administrator's reset.
CREATE FUNCTION completed_job_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'COMPLETED job % holds version % of (%, %) and cannot be deleted',
            OLD.id, OLD.version, OLD.dataset_id, OLD.model_type USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM 'COMPLETED' OR NEW.version IS DISTINCT FROM OLD.version
            OR NEW.dataset_id IS DISTINCT FROM OLD.dataset_id OR NEW.model_type IS DISTINCT FROM OLD.model_type THEN
        RAISE EXCEPTION 'COMPLETED job % holds version % of (%, %): its status, version, dataset and model type are final',
            OLD.id, OLD.version, OLD.dataset_id, OLD.model_type USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER training_job_completed_is_final
    BEFORE DELETE OR UPDATE OF status, version, dataset_id, model_type ON training_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED') EXECUTE FUNCTION completed_job_is_final();
CREATE TRIGGER tuning_job_completed_is_final
    BEFORE DELETE OR UPDATE OF status, version, dataset_id, model_type ON tuning_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED') EXECUTE FUNCTION completed_job_is_final();
