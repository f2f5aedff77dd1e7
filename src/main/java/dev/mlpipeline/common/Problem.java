package dev.mlpipeline.common;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details, the body of every error response. */
@Schema(name = "Problem", description = "RFC 9457 problem details (application/problem+json)")
public record Problem(
        @Schema(description = "URI naming the kind of problem") String type,
        @Schema(description = "Short summary of the kind of problem") String title,
        @Schema(description = "HTTP status code") int status,
        @Schema(description = "What went wrong with this request and what to fix") String detail,
        @Schema(description = "The request path") String instance,
        @Schema(description = "Problems with particular fields, if any") List<DomainException.FieldError> errors,
        @Schema(description = "Id of the request (its X-Request-Id header): quote it when reporting a problem; the service's log lines for the request carry it") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
