-- Issue 16: the trials of a tuning job are work items that any worker replica claims with
-- FOR UPDATE SKIP LOCKED, as jobs are claimed. The replica that claimed the job (its coordinator)
-- writes one PENDING row per configuration; a replica's free worker claims one (RUNNING, claimed_by,
-- heartbeat_at, attempts + 1), cross-validates it and stores its scores (COMPLETED). A trial whose
-- worker stops writing its heartbeat is claimed again once; after its second loss, or when its fit
-- fails, it is FAILED with an error and the coordinator fails the job. When every trial is COMPLETED
-- the coordinator refits the best configuration and completes the job.
-- Rows written before this migration are completed trials (the default); claimed_by is the replica
-- that ran a trial, kept once it is COMPLETED.
ALTER TABLE tuning_trial
    ALTER COLUMN mean_score DROP NOT NULL,
    ALTER COLUMN std_score DROP NOT NULL,
    ALTER COLUMN fold_scores DROP NOT NULL,
    ALTER COLUMN duration_ms DROP NOT NULL,
    ADD COLUMN status varchar(16) NOT NULL DEFAULT 'COMPLETED'
        CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    ADD COLUMN claimed_by varchar(255),
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN heartbeat_at timestamp(6) with time zone,
    ADD COLUMN error text,
    ADD CONSTRAINT tuning_trial_completed_has_scores CHECK ((status = 'COMPLETED')
        = (mean_score IS NOT NULL AND std_score IS NOT NULL AND fold_scores IS NOT NULL AND duration_ms IS NOT NULL));

-- Claiming reads the PENDING trials of RUNNING jobs in job order; heartbeats and the shutdown
-- hand-back read the trials RUNNING under one replica.
CREATE INDEX tuning_trial_pending_idx ON tuning_trial (tuning_job_id, trial_index) WHERE status = 'PENDING';
CREATE INDEX tuning_trial_running_idx ON tuning_trial (claimed_by) WHERE status = 'RUNNING';
