package dev.mlpipeline.inference.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of the protocol's health answers: {@code {"live": true}} for {@code /v2/health/live},
 * {@code {"ready": …}} for {@code /v2/health/ready}, {@code {"name": …, "ready": …}} for a model.
 */
@Schema(name = "InferenceHealthResponse")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthResponse(
        @Schema(nullable = true, description = "Model ready only: the model's name") String name,
        @Schema(nullable = true, description = "Server live only") Boolean live,
        @Schema(nullable = true, description = "Server or model ready") Boolean ready) {
}
