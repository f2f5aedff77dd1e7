package dev.mlpipeline.jobs;

import dev.mlpipeline.pipeline.TrainingSpec;

/** The fit described by a stored job row, read back by {@link JobSpecRepository} for the worker that runs it. */
public record StoredSpec(String datasetId, TrainingSpec spec) {
}
