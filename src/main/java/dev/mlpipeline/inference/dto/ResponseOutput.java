package dev.mlpipeline.inference.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One output tensor of an inference response (the protocol's "Response Output"). */
@Schema(name = "InferenceResponseOutput")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResponseOutput(
        @Schema(description = "`predict` or `probabilities`") String name,
        @Schema(description = "[n] for predict, [n, k] for probabilities") List<Long> shape,
        @Schema(description = "BYTES, INT64 or FP64 for predict (as the labels are strings, integers or numbers); FP64 for probabilities") String datatype,
        @Schema(description = "probabilities: `class_labels`, the k labels in column order", nullable = true) Map<String, Object> parameters,
        @Schema(type = SchemaType.ARRAY, description = "Row-major values") List<Object> data) {
}
