-- Batch prediction results (issue 13), stored one table row per scored chunk (mlpipeline.batch-predictions.chunk-rows
-- dataset rows) instead of one per dataset row: a million-row batch writes a few hundred table rows and index
-- entries instead of a million, and PostgreSQL's share of the job's CPU falls accordingly. Each chunk holds its
-- rows' fields as arrays, entry i being dataset row first_row + i:
--   input          the row's input cells as one CSV record (the dataset's columns, RFC 4180 quoting, missing empty)
--   prediction     the predicted label or value as text; null when the row failed
--   probabilities  classification: row_count * cardinality(class_labels) numbers, row i's in class_labels order at
--                  [i * k + 1 .. (i + 1) * k]; null entries when the row failed. Null for regression.
--   error          why each row could not be scored (null entries for scored rows); null when every row scored
-- The result is streamed in first_row order by keyset pages over the primary key.
CREATE TABLE batch_prediction_chunk (
    batch_id         varchar(40)        NOT NULL REFERENCES batch_prediction (id) ON DELETE CASCADE,
    first_row        bigint             NOT NULL,
    row_count        integer            NOT NULL CHECK (row_count > 0),
    input            text[]             NOT NULL,
    prediction       text[]             NOT NULL,
    probabilities    double precision[],
    error            text[],
    PRIMARY KEY (batch_id, first_row)
);

-- Results stored by V6 become chunks of one row each (the probabilities' decimal text, written by Java's
-- Double.toString, reads back as the same doubles).
INSERT INTO batch_prediction_chunk (batch_id, first_row, row_count, input, prediction, probabilities, error)
SELECT r.batch_id, r.row_index, 1, ARRAY[r.input], ARRAY[r.prediction],
       CASE WHEN b.class_labels IS NULL THEN NULL
            WHEN r.probabilities IS NULL THEN array_fill(NULL::double precision, ARRAY[cardinality(b.class_labels)])
            ELSE string_to_array(r.probabilities, ',')::double precision[] END,
       CASE WHEN r.error IS NULL THEN NULL ELSE ARRAY[r.error] END
FROM batch_prediction_row r JOIN batch_prediction b ON b.id = r.batch_id;

DROP TABLE batch_prediction_row;
