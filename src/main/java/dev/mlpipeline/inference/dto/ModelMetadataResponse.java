package dev.mlpipeline.inference.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The protocol's "Model Metadata Response JSON Object". */
@Schema(name = "ModelMetadataResponse")
public record ModelMetadataResponse(
        @Schema(description = "The model type served") String name,
        @Schema(description = "The version served, the only one") List<String> versions,
        @Schema(description = "`smile_<model type>`: the framework and model") String platform,
        @Schema(description = "One tensor per feature: FP64 for numeric, BYTES for categorical, shape [-1]") List<TensorMetadata> inputs,
        @Schema(description = "`predict` and, for classification, `probabilities` ([-1, k])") List<TensorMetadata> outputs) {
}
