-- Registry metadata (issue 13): aliases, tags, descriptions and the archive flag of model versions.
-- The registry stays a view over the job tables: these rows are keyed by the job id of a COMPLETED
-- training_job or tuning_job (a version, final by invariant 4 of V3) and hold only what the user
-- adds, never a copy of job data. job_id cannot reference two tables; a COMPLETED job is never
-- deleted (V3 trigger), so a row never outlives its job, and the service writes rows only for
-- COMPLETED jobs.

-- Description, tags and archive flag of one version. A version without a row has no description,
-- no tags and is not archived, so the table holds only versions someone annotated.
CREATE TABLE model_version_metadata (
    job_id       varchar(40)  PRIMARY KEY,
    description  text,
    tags         jsonb        NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(tags) = 'object'),
    archived_at  timestamp(6) with time zone,
    updated_at   timestamp(6) with time zone NOT NULL
);
-- ?tag=key:value filters are containment (tags @> '{"key":"value"}') and ?tag=key existence (tags ? 'key').
CREATE INDEX model_version_metadata_tags_idx ON model_version_metadata USING gin (tags);
-- GET /api/registry/stats counts archived versions with an index-only scan of this index.
CREATE INDEX model_version_metadata_archived_idx ON model_version_metadata (job_id) WHERE archived_at IS NOT NULL;

-- A named pointer (MLflow's model version alias: "champion", "challenger", …) at one version of a
-- (dataset, model type). The primary key makes the name unique per (dataset, model type), so moving
-- it is one UPDATE of one row: two clients moving the same alias at once end on one version.
CREATE TABLE model_version_alias (
    dataset_id   varchar(40)  NOT NULL REFERENCES dataset (id),
    model_type   varchar(64)  NOT NULL,
    alias        varchar(63)  NOT NULL,
    job_id       varchar(40)  NOT NULL,
    updated_at   timestamp(6) with time zone NOT NULL,
    PRIMARY KEY (dataset_id, model_type, alias)
);
-- Registry views read a version's aliases by its job id.
CREATE INDEX model_version_alias_job_idx ON model_version_alias (job_id);

-- An archived version is never deployed, whatever the code does: the deploy transaction inserts
-- the active row under the deploy advisory lock, and archiving takes the same lock and refuses the
-- active version, so neither can slip past the other.
CREATE FUNCTION deployment_not_archived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM model_version_metadata m WHERE m.job_id = NEW.job_id AND m.archived_at IS NOT NULL) THEN
        RAISE EXCEPTION 'version % of (%, %) (job %) is archived and cannot be deployed',
            NEW.version, NEW.dataset_id, NEW.model_type, NEW.job_id USING ERRCODE = 'check_violation',
            CONSTRAINT = 'deployment_not_archived';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER deployment_not_archived
    BEFORE INSERT ON deployment FOR EACH ROW EXECUTE FUNCTION deployment_not_archived();
