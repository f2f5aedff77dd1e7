package dev.mlpipeline.inference.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The protocol's "Inference Response JSON Object". */
@Schema(name = "InferenceResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceResponse(
        @Schema(description = "The model type served") String modelName,
        @Schema(description = "The version served") String modelVersion,
        @Schema(description = "The request's id, when it had one", nullable = true) String id,
        @Schema(description = "Predict's per-row reports: `ignored_columns`, `missing_columns`, `unseen_categories`; and `deployment_id`, `job_id`") Map<String, Object> parameters,
        List<ResponseOutput> outputs) {
}
