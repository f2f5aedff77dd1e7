package dev.mlpipeline.registry.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** One version with everything that went into it. */
@Schema(name = "ModelVersionLineage", description = "One model version with its full lineage")
public record ModelVersionLineageResponse(
        int version,
        String jobId,
        @Schema(enumeration = {
                "training", "tuning" }) String source,
        String modelType,
        @Schema(enumeration = { "classification", "regression" }) String task,
        boolean isDeployed,
        DatasetRef dataset,
        String targetColumn,
        List<String> featureColumns,
        @Schema(type = SchemaType.OBJECT) @JsonRawValue String preprocessing,
        @Schema(type = SchemaType.OBJECT) @JsonRawValue String hyperparameters,
        @Schema(type = SchemaType.OBJECT, additionalProperties = Double.class, description = "Test-set metrics") @JsonRawValue String metrics,
        double testSize,
        long randomSeed,
        @Schema(description = "Tuning jobs only; null for training", nullable = true) Tuning tuning,
        Artifact artifact,
        Timings timings,
        @Schema(description = "Aliases pointing at this version, sorted", examples = "[\"champion\"]") List<String> aliases,
        @Schema(type = SchemaType.OBJECT, additionalProperties = String.class, description = "The version's tags; {} when none") @JsonRawValue String tags,
        @Schema(description = "Free-text description, or null", nullable = true) String description,
        @Schema(description = "True when the version is archived") boolean archived) {

    public record DatasetRef(String id, String name, @Schema(description = "SHA-256 of the uploaded CSV") String sha256) {
    }

    @Schema(name = "ModelVersionTuning")
    public record Tuning(String strategy, String scoring, int cvFolds, Double bestScore,
            @Schema(type = SchemaType.OBJECT, nullable = true) @JsonRawValue String bestParams,
            @Schema(type = SchemaType.OBJECT) @JsonRawValue String searchSpace,
            @Schema(description = "Number of evaluated configurations") long trialCount,
            @Schema(description = "Index of the trial with the highest mean score", nullable = true) Integer bestTrialIndex,
            @Schema(nullable = true) Double bestTrialMeanScore,
            @Schema(nullable = true) Double bestTrialStdScore,
            @Schema(description = "Sum of the trials' durations", nullable = true) Long trialsDurationMs) {
    }

    @Schema(name = "ModelVersionArtifact")
    public record Artifact(String id, String sha256, long sizeBytes, String format) {
    }

    @Schema(name = "ModelVersionTimings")
    public record Timings(Instant createdAt, Instant startedAt, Instant completedAt,
            @Schema(description = "completed_at - started_at", nullable = true) Long durationMs) {
    }
}
