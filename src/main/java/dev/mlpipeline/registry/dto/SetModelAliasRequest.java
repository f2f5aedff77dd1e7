package dev.mlpipeline.registry.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /api/registry/models/{model_type}/aliases/{alias}}. */
@Schema(name = "SetModelAliasRequest", description = "The version an alias points at")
public record SetModelAliasRequest(
        @Schema(required = true, description = "The dataset of the (dataset, model type) the alias belongs to",
                examples = "ds_01m8qg9z4qdcxqa41renz0fdvb") String datasetId,
        @Schema(required = true, description = "A version of that (dataset, model type); not archived", minimum = "1",
                examples = "1") Integer version) {
}
