-- Issue 16 part 6: the registry's generation, a number that changes in the same transaction as any
-- change of what the registry view shows, so that a replica may keep a rendered registry page and
-- serve it again only while the generation it was read under is still the current one (one primary-key
-- read per request; see registry/RegistryPageCache). The registry stays a view: this is one counter,
-- not a copy of job data.
--
-- What the view reads, and what bumps the generation:
--   training_job / tuning_job   a row that is or was COMPLETED inserted, updated or deleted (running
--                               jobs' progress updates do not: they are not in the view)
--   model_version_metadata, model_version_alias, deployment: any change
--   dataset                     a change of its name (the page shows it)
--   TRUNCATE of any of them
-- One bump per transaction (the row remembers the transaction that bumped it last), so a statement
-- touching many rows costs one row update, and concurrent writers wait on this row only from their
-- registry change to their commit.
CREATE TABLE registry_generation (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    generation  bigint  NOT NULL,
    changed_by  xid8
);
INSERT INTO registry_generation (id, generation) VALUES (true, 1);

CREATE FUNCTION registry_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry_generation SET generation = generation + 1, changed_by = pg_current_xact_id()
    WHERE changed_by IS DISTINCT FROM pg_current_xact_id();
    RETURN NULL;
END
$$;

CREATE TRIGGER training_job_registry_insert AFTER INSERT ON training_job
    FOR EACH ROW WHEN (NEW.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER training_job_registry_update AFTER UPDATE ON training_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER training_job_registry_delete AFTER DELETE ON training_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER tuning_job_registry_insert AFTER INSERT ON tuning_job
    FOR EACH ROW WHEN (NEW.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER tuning_job_registry_update AFTER UPDATE ON tuning_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED' OR NEW.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER tuning_job_registry_delete AFTER DELETE ON tuning_job
    FOR EACH ROW WHEN (OLD.status = 'COMPLETED') EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER dataset_registry_rename AFTER UPDATE OF name ON dataset
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER model_version_metadata_registry AFTER INSERT OR UPDATE OR DELETE ON model_version_metadata
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER model_version_alias_registry AFTER INSERT OR UPDATE OR DELETE ON model_version_alias
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER deployment_registry AFTER INSERT OR UPDATE OR DELETE ON deployment
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();

CREATE TRIGGER training_job_registry_truncate AFTER TRUNCATE ON training_job
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER tuning_job_registry_truncate AFTER TRUNCATE ON tuning_job
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER dataset_registry_truncate AFTER TRUNCATE ON dataset
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER model_version_metadata_registry_truncate AFTER TRUNCATE ON model_version_metadata
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER model_version_alias_registry_truncate AFTER TRUNCATE ON model_version_alias
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
CREATE TRIGGER deployment_registry_truncate AFTER TRUNCATE ON deployment
    FOR EACH STATEMENT EXECUTE FUNCTION registry_generation_bump();
