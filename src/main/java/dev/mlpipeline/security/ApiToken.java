package dev.mlpipeline.security;

import java.time.Instant;
import java.util.List;

/**
 * An API token as stored, without its secret (only the secret's SHA-256 is stored).
 *
 * @param roles     wire names of its roles
 * @param expiresAt null: never expires
 * @param revokedAt null: not revoked
 */
public record ApiToken(String id, String name, List<String> roles, String createdBy, Instant createdAt, Instant expiresAt,
        Instant revokedAt, Instant lastUsedAt) {

    /** Whether it authenticates at {@code now}: not revoked and not expired. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
