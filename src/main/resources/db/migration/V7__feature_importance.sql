-- Feature importance per model version (issue 14): computed once at the end of every training and tuning job and
-- stored with the version's job row; NULL for versions trained before it existed. Shape: see the README
-- ("Feature importance") and FeatureImportance.toJsonMap().
ALTER TABLE training_job ADD COLUMN feature_importance jsonb;
ALTER TABLE tuning_job ADD COLUMN feature_importance jsonb;
