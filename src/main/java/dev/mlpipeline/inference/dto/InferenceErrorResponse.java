package dev.mlpipeline.inference.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The protocol's error object, the body of every 4xx and 5xx under {@code /v2}. */
@Schema(name = "InferenceErrorResponse")
public record InferenceErrorResponse(@Schema(description = "What went wrong and what to fix") String error) {
}
