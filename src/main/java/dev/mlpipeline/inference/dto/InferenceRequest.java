package dev.mlpipeline.inference.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Open Inference Protocol (KServe v2) inference request, {@code POST /v2/models/{name}/infer}: the
 * "Inference Request JSON Object" of KServe's {@code required_api.md}.
 */
@Schema(name = "InferenceRequest", description = "Open Inference Protocol inference request: one tensor per feature column")
public record InferenceRequest(
        @Schema(description = "Optional request id, echoed in the response", nullable = true) String id,
        @Schema(description = "Optional; `strict` (boolean) is predict's strict parameter", nullable = true) Map<String, Object> parameters,
        @Schema(description = "One tensor per feature column, all of shape [n] (or [n, 1])") List<RequestInput> inputs,
        @Schema(description = "Optional: the outputs wanted (`predict`, `probabilities`); default all", nullable = true) List<RequestOutput> outputs) {
}
