package dev.mlpipeline.batch.dto;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.batch.BatchPrediction;
import dev.mlpipeline.jobs.JobStatus;

@Schema(name = "BatchPrediction")
public record BatchPredictionResponse(
        String id,
        JobStatus status,
        String datasetId,
        @Schema(description = "The training or tuning job whose version scores") String jobId,
        String modelType,
        int version,
        @Schema(description = "classification or regression") String task,
        @Schema(description = "Fraction of the rows written, 0..1") double progress,
        @Schema(description = "The dataset's rows") long rowsTotal,
        @Schema(description = "Rows written with a prediction") long rowsScored,
        @Schema(description = "Rows written with an error instead (they failed validation); never abort the job") long rowsFailed,
        @Schema(description = "The result's input columns (the dataset's, in file order)") List<String> inputColumns,
        @Schema(nullable = true,
                description = "Classification: the labels, in the order of the result's probability columns; null for regression and before the job starts") List<String> classLabels,
        @Schema(nullable = true, description = "Why the job failed or was cancelled") String error,
        @Schema(description = "Where the result is streamed from once COMPLETED (CSV, or JSON lines with Accept: application/x-ndjson)") String resultUrl,
        OffsetDateTime createdAt,
        @Schema(nullable = true) OffsetDateTime startedAt,
        @Schema(nullable = true) OffsetDateTime completedAt) {

    public static BatchPredictionResponse of(BatchPrediction b) {
        return new BatchPredictionResponse(b.id(), b.status(), b.datasetId(), b.jobId(), b.modelType(), b.version(), b.task(),
                b.progress(), b.rowsTotal(), b.rowsScored(), b.rowsFailed(), b.inputColumns(), b.classLabels(), b.error(),
                "/api/batch-predictions/" + b.id() + "/result", b.createdAt(), b.startedAt(), b.completedAt());
    }
}
