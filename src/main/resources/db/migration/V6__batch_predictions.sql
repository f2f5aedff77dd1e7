-- Batch predictions (issue 13, serving): a job that scores every row of an uploaded dataset with a
-- model version and stores the result. It is queued, claimed, heart-beaten and cancelled like the
-- training and tuning jobs (the same columns: status, progress, claimed_by, heartbeat_at, ...), so the
-- job queue's statements apply to it unchanged.
CREATE TABLE batch_prediction (
    id               varchar(40)  PRIMARY KEY,
    -- Deleting a dataset deletes the batch predictions made on it (and their rows).
    dataset_id       varchar(40)  NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
    job_id           varchar(40)  NOT NULL,   -- the training (trn_) or tuning (tun_) job whose version scores
    model_type       varchar(64)  NOT NULL,
    version          integer      NOT NULL,
    task             varchar(16)  NOT NULL CHECK (task IN ('classification', 'regression')),
    input_columns    text[]       NOT NULL,   -- the dataset's columns, in file order: the result's input columns
    class_labels     text[],                  -- classification: the labels, in the order of each row's probabilities
    numeric_predictions boolean   NOT NULL,   -- predictions are numbers (regression, numeric labels), not strings
    status           varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    progress         double precision NOT NULL DEFAULT 0,
    error            text,
    rows_total       bigint       NOT NULL,   -- the dataset's row count
    rows_scored      bigint       NOT NULL DEFAULT 0,  -- rows written with a prediction
    rows_failed      bigint       NOT NULL DEFAULT 0,  -- rows written with an error instead
    claimed_by       varchar(255),
    heartbeat_at     timestamp(6) with time zone,
    created_at       timestamp(6) with time zone NOT NULL,
    started_at       timestamp(6) with time zone,
    completed_at     timestamp(6) with time zone
);
CREATE INDEX batch_prediction_pending_idx ON batch_prediction (created_at) WHERE status = 'PENDING';
CREATE INDEX batch_prediction_running_idx ON batch_prediction (heartbeat_at) WHERE status = 'RUNNING';
CREATE INDEX batch_prediction_created_at_idx ON batch_prediction (created_at DESC, id DESC);
CREATE INDEX batch_prediction_dataset_idx ON batch_prediction (dataset_id);

-- One row per dataset row, written in batches. The input cells are kept as one CSV record (the
-- dataset's columns, RFC 4180 quoting, a missing cell empty), the probabilities as the decimal numbers
-- in class_labels order, comma-separated: the CSV result is these fields side by side, streamed in
-- row_index order by keyset pages over the primary key.
CREATE TABLE batch_prediction_row (
    batch_id         varchar(40)  NOT NULL REFERENCES batch_prediction (id) ON DELETE CASCADE,
    row_index        bigint       NOT NULL,   -- 0-based position of the row in the dataset
    input            text         NOT NULL,
    prediction       text,                    -- null when the row failed
    probabilities    text,                    -- classification only; null when the row failed
    error            text,                    -- why the row could not be scored (its other fields are null)
    PRIMARY KEY (batch_id, row_index)
);
