package dev.mlpipeline.registry.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ModelEntry", description = "The versions of one model type trained on one dataset, newest first")
public record ModelEntryResponse(
        String modelType,
        String datasetId,
        String datasetName,
        @Schema(description = "The newest version listed in `versions`") int latestVersion,
        @Schema(description = "Version of this (dataset, model type) that is actively deployed, or null", nullable = true) Integer deployedVersion,
        List<ModelVersionResponse> versions) {
}
