package dev.mlpipeline.security;

import java.time.Instant;

/**
 * One audited request.
 *
 * @param id            the row's id (increasing); 0 before it is written
 * @param at            when the response was decided (service clock)
 * @param actor         token name, {@code bootstrap}, OIDC principal name, or {@code anonymous}
 * @param actorId       token id, {@code bootstrap}, OIDC subject, or null
 * @param operation     the operationId
 * @param targetId      the id the request acted on (path parameter, or the id of what it created), or null
 * @param status        the HTTP status answered (401 and 403 included)
 * @param requestId     the request's {@code X-Request-Id}
 * @param clientAddress the client's IP address as the HTTP layer saw it
 */
public record AuditEvent(long id, Instant at, String actor, String actorId, String operation, String method, String path,
        String targetId, int status, String requestId, String clientAddress) {
}
