package dev.mlpipeline.inference.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One input tensor of an inference request (the protocol's "Request Input"). */
@Schema(name = "InferenceRequestInput")
public record RequestInput(
        @Schema(description = "Feature column name") String name,
        @Schema(description = "[n] (or [n, 1]): one value per row") List<Long> shape,
        @Schema(description = "FP64/FP32/INT64/INT32/… for numeric features, BYTES for categorical ones, BOOL") String datatype,
        @Schema(description = "Optional, ignored", nullable = true) Map<String, Object> parameters,
        @Schema(type = SchemaType.ARRAY,
                description = "The values, row-major (flat or nested); null is a missing value, imputed as in training") List<Object> data) {
}
