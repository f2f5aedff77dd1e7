package dev.mlpipeline.security.dto;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.security.AuditEvent;

@Schema(name = "AuditEvent", description = "One mutating request, allowed or refused")
public record AuditEventResponse(long id, Instant at,
        @Schema(description = "Token name, bootstrap, OIDC principal name, or anonymous") String actor,
        @Schema(nullable = true, description = "Token id (tok_…), bootstrap, or OIDC subject") String actorId,
        @Schema(description = "The operationId") String operation, String method, String path,
        @Schema(nullable = true, description = "The id acted on: the path's id, or the id of what was created") String targetId,
        @Schema(description = "HTTP status answered (401 and 403 included)") int status,
        @Schema(nullable = true) String requestId, @Schema(nullable = true) String clientAddress) {

    public static AuditEventResponse of(AuditEvent e) {
        return new AuditEventResponse(e.id(), e.at(), e.actor(), e.actorId(), e.operation(), e.method(), e.path(), e.targetId(), e.status(),
                e.requestId(), e.clientAddress());
    }
}
