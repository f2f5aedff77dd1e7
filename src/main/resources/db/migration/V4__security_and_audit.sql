-- Issue 12: API tokens, the audit trail, and who created, deployed or rolled back what.

-- API tokens. Only the SHA-256 of the secret is stored: the secret is 32 random bytes (256 bits), so a
-- plain hash cannot be reversed or brute-forced, and the lookup is by that hash. The secret itself is
-- shown once, in the answer of POST /api/tokens.
CREATE TABLE api_token (
    id            varchar(40)  PRIMARY KEY,
    name          varchar(255) NOT NULL,
    roles         text[]       NOT NULL,
    secret_sha256 bytea        NOT NULL UNIQUE,
    created_by    varchar(255),
    created_at    timestamp(6) with time zone NOT NULL,
    expires_at    timestamp(6) with time zone,
    revoked_at    timestamp(6) with time zone,
    last_used_at  timestamp(6) with time zone,
    CONSTRAINT api_token_roles_known
        CHECK (roles <@ ARRAY['viewer', 'predictor', 'trainer', 'deployer', 'admin']::text[] AND cardinality(roles) > 0)
);
CREATE INDEX api_token_created_at_idx ON api_token (created_at DESC, id DESC);

-- The audit trail: one row per mutating request, allowed or refused. Rows are appended by the service
-- and never changed. The service connects as the role that owns its tables (Flyway runs as it too), and
-- an owner can always re-grant itself a revoked privilege, so a REVOKE UPDATE, DELETE would be
-- decoration; the triggers below refuse UPDATE and TRUNCATE always, and DELETE unless the transaction
-- has set mlpipeline.audit_purge = 'on' (which only the admin purge, DELETE /api/audit, does; the purge
-- is itself audited). A deployment that needs tamper-proof audit gives the service a role that does not
-- own this table (GRANT SELECT, INSERT only) and runs migrations as the owner.
CREATE TABLE audit_event (
    id              bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamp(6) with time zone NOT NULL,
    actor           varchar(255) NOT NULL,
    actor_id        varchar(255),
    operation       varchar(128) NOT NULL,
    method          varchar(10)  NOT NULL,
    path            varchar(2048) NOT NULL,
    target_id       varchar(255),
    status          integer      NOT NULL,
    request_id      varchar(128),
    client_address  varchar(255)
);
CREATE INDEX audit_event_at_idx ON audit_event (at DESC, id DESC);
CREATE INDEX audit_event_actor_idx ON audit_event (actor, at DESC, id DESC);
CREATE INDEX audit_event_operation_idx ON audit_event (operation, at DESC, id DESC);

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('mlpipeline.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % is refused (an admin purges old rows with DELETE /api/audit)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

-- Who: the actor (token name, or OIDC subject) of the request that created the row; null for rows
-- created before this migration or with security off and no token.
ALTER TABLE dataset ADD COLUMN created_by varchar(255);
ALTER TABLE training_job ADD COLUMN created_by varchar(255);
ALTER TABLE tuning_job ADD COLUMN created_by varchar(255);
ALTER TABLE deployment ADD COLUMN deployed_by varchar(255);
ALTER TABLE deployment ADD COLUMN reason varchar(1000);
-- "What served at T": the intervals [created_at, deactivated_at) of the history.
CREATE INDEX deployment_interval_idx ON deployment (created_at, deactivated_at);
