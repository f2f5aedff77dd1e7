-- Issue 16 (predict's tail latency with the prediction log on): store each batch as json, not jsonb.
-- PostgreSQL parses a jsonb value into its binary form on insert; for a batch of 1,000 rows (~120 kB)
-- that took 14-18 ms of the backend's CPU against 6-7.5 ms as json (which is only validated) and 5 ms
-- as text, measured with psql on this PostgreSQL 17 (docs/benchmarks.md). On a 2-core replica that
-- burst competes with predict's event loops. Nothing reads the column but as text (drift reads
-- rows::text), so json loses nothing; json::text is the stored text as written.
ALTER TABLE prediction_log ALTER COLUMN rows TYPE json USING rows::json;
