package dev.mlpipeline.batch;

import java.time.OffsetDateTime;
import java.util.List;

import dev.mlpipeline.jobs.JobStatus;

/**
 * A batch prediction: the scoring of every row of a dataset with one model version, queued and run as
 * a job ({@link dev.mlpipeline.jobs.JobKind#BATCH_PREDICTION}).
 *
 * @param jobId         the training or tuning job whose model version scores the rows
 * @param inputColumns  the dataset's columns, in file order
 * @param classLabels   classification: the labels in the order of each row's probabilities; null for regression
 * @param numericPredictions whether the predictions are numbers (regression, numeric labels) rather than strings
 * @param progress      fraction of the rows written, 0..1
 * @param rowsTotal     the dataset's rows
 * @param rowsScored    rows written with a prediction
 * @param rowsFailed    rows written with an error (they failed validation) instead
 */
public record BatchPrediction(String id, String datasetId, String jobId, String modelType, int version, String task,
        List<String> inputColumns, List<String> classLabels, boolean numericPredictions, JobStatus status, double progress,
        String error, long rowsTotal, long rowsScored, long rowsFailed, OffsetDateTime createdAt, OffsetDateTime startedAt,
        OffsetDateTime completedAt) {
}
