package dev.mlpipeline.registry.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One model version (with the user's metadata: aliases, tags, description, archive flag): a COMPLETED training or tuning job. {@code metrics} and {@code hyperparameters}
 * hold the JSON text read from PostgreSQL and are written as they are, without a parse and re-serialize.
 */
@Schema(name = "ModelVersion", description = "A model version: one completed training or tuning job")
public record ModelVersionResponse(
        @Schema(description = "Version number, 1, 2, 3 … per (dataset_id, model_type), shared by training and tuning") int version,
        @Schema(description = "The job that produced the version", examples = "trn_01m8qga5wdqadasvxghm28h0pq") String jobId,
        @Schema(enumeration = {
                "training", "tuning" }) String source,
        String datasetId,
        String datasetName,
        String modelType,
        @Schema(enumeration = { "classification", "regression" }) String task,
        @Schema(type = SchemaType.OBJECT, additionalProperties = Double.class,
                description = "Test-set metrics, e.g. {\"accuracy\":0.92,\"f1\":0.9} or {\"rmse\":…,\"mae\":…,\"r2\":…}") @JsonRawValue String metrics,
        @Schema(description = "Best cross-validation score of a tuning job; null for training", nullable = true) Double bestScore,
        @Schema(type = SchemaType.OBJECT, description = "Hyperparameters the model was fitted with (defaults filled in)") @JsonRawValue String hyperparameters,
        @Schema(description = "True for the version of the active deployment") boolean isDeployed,
        @Schema(description = "When the version was created (the job's completion time)") Instant createdAt,
        @Schema(description = "Aliases pointing at this version (PUT /api/registry/models/{model_type}/aliases/{alias}), sorted",
                examples = "[\"champion\"]") List<String> aliases,
        @Schema(type = SchemaType.OBJECT, additionalProperties = String.class,
                description = "The version's tags, e.g. {\"team\":\"fraud\"}; {} when none") @JsonRawValue String tags,
        @Schema(description = "Free-text description, or null", nullable = true) String description,
        @Schema(description = "True when archived: hidden from the registry views unless include_archived=true, "
                + "never deployed nor aliased") boolean archived) {
}
