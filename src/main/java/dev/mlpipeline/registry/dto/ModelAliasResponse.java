package dev.mlpipeline.registry.dto;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An alias and the version it points at. */
@Schema(name = "ModelAlias", description = "A named pointer (MLflow's model version alias) at one version of a (dataset, model type)")
public record ModelAliasResponse(
        @Schema(examples = "champion") String alias,
        String modelType,
        String datasetId,
        @Schema(description = "The version it points at now") int version,
        @Schema(description = "The job of that version") String jobId,
        @Schema(enumeration = {
                "training", "tuning" }) String source,
        @Schema(description = "The version it pointed at before this request; null when the alias is new", nullable = true) Integer previousVersion,
        @Schema(description = "When it was set") Instant updatedAt) {
}
