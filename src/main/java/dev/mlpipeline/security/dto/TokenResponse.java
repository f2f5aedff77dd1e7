package dev.mlpipeline.security.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.security.ApiToken;

@Schema(name = "Token", description = "An API token, without its secret")
public record TokenResponse(String id, String name, List<String> roles, @Schema(nullable = true) String createdBy, Instant createdAt,
        @Schema(nullable = true) Instant expiresAt,
        @Schema(nullable = true, description = "When it was revoked (DELETE /api/tokens/{id})") Instant revokedAt,
        @Schema(nullable = true, description = "Last request authenticated with it, to the minute") Instant lastUsedAt) {

    public static TokenResponse of(ApiToken t) {
        return new TokenResponse(t.id(), t.name(), t.roles(), t.createdBy(), t.createdAt(), t.expiresAt(), t.revokedAt(), t.lastUsedAt());
    }
}
