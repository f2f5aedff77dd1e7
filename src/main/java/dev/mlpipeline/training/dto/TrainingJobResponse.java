package dev.mlpipeline.training.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.jobs.JobEntity;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobStatus;

@Schema(name = "TrainingJob")
public record TrainingJobResponse(
        String id,
        @Schema(enumeration = {
                "training", "tuning" }) String jobType,
        String datasetId,
        String datasetName,
        String modelType,
        @Schema(enumeration = { "classification", "regression" }) String task,
        String targetColumn,
        List<String> featureColumns,
        Map<String, Object> hyperparameters,
        Map<String, Object> preprocessing,
        double testSize,
        long randomSeed,
        JobStatus status,
        double progress,
        @Schema(description = "Test-set metrics once COMPLETED: accuracy, precision, recall, f1 (and roc_auc for two classes), or r2, rmse, mae",
                additionalProperties = Double.class, nullable = true) Map<String, Object> metrics,
        @Schema(description = "The model version, once COMPLETED", nullable = true) Integer version,
        @Schema(description = "Why the job FAILED", nullable = true) String error,
        @Schema(description = "The fitted model, once COMPLETED", nullable = true) ArtifactSummary artifact,
        Instant createdAt,
        @Schema(nullable = true) Instant startedAt,
        @Schema(nullable = true) Instant completedAt,
        @Schema(description = "completed_at - started_at", nullable = true) Long durationMs,
        @Schema(description = "Who submitted it (token name or OIDC name); null without credentials", nullable = true) String createdBy) {

    @Schema(name = "ArtifactSummary")
    public record ArtifactSummary(String sha256, long sizeBytes) {
    }

    public static TrainingJobResponse of(JobEntity j) {
        return of(j, JobKind.TRAINING);
    }

    /** The fields every job shows; tuning jobs add theirs around it. */
    public static TrainingJobResponse of(JobEntity j, JobKind kind) {
        return new TrainingJobResponse(j.id, kind.wireName(), j.dataset.id, j.dataset.name, j.modelType, j.task,
                j.targetColumn, List.of(j.featureColumns), j.hyperparameters, j.preprocessing, j.testSize, j.randomSeed,
                j.status, j.progress, j.metrics, j.version, j.error,
                j.artifact == null ? null : new ArtifactSummary(j.artifact.sha256, j.artifact.sizeBytes),
                j.createdAt, j.startedAt, j.completedAt, j.durationMs(), j.createdBy);
    }
}
