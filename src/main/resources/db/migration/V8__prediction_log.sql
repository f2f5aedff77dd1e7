-- Issue 14 (drift): the training profile stored with each model version, and the prediction log.

-- What the training data looked like (dev.mlpipeline.pipeline.TrainingProfile, its JSON form):
-- per input feature the missing rate and the distribution over the training split (numeric: decile
-- bins and their shares; categorical: level shares), and the distribution of the predictions on the
-- test split. Written with the version, in the transaction that marks the job COMPLETED; null for
-- versions trained before this migration (drift then answers 409).
ALTER TABLE training_job ADD COLUMN training_profile jsonb;
ALTER TABLE tuning_job ADD COLUMN training_profile jsonb;

-- A sample of predicted rows, one row per written batch (one INSERT per batch: a tuple and an
-- index entry per batch rather than per predicted row). rows holds
--   {"at": [epoch ms, ...], "inputs": [{feature: value, ...}, ...], "predictions": [label or number, ...]}
-- with the i-th entry of each array describing one predicted row; inputs keep only the model's
-- features, as sent. first_at / last_at bound the batch's "at" values. Rows older than
-- mlpipeline.prediction-log.retention are deleted by a background timer (by last_at). No foreign key:
-- the log is written off the request path and must never fail on a deployment's history.
CREATE TABLE prediction_log (
    id             bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment_id  varchar(40)  NOT NULL,
    first_at       timestamp(6) with time zone NOT NULL,
    last_at        timestamp(6) with time zone NOT NULL,
    row_count      integer      NOT NULL CHECK (row_count > 0),
    rows           jsonb        NOT NULL
);
CREATE INDEX prediction_log_last_at_idx ON prediction_log (last_at);
