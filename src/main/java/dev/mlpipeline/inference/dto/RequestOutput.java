package dev.mlpipeline.inference.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One requested output of an inference request (the protocol's "Request Output"). */
@Schema(name = "InferenceRequestOutput")
public record RequestOutput(
        @Schema(description = "`predict` or `probabilities`") String name,
        @Schema(description = "Optional, ignored", nullable = true) Map<String, Object> parameters) {
}
