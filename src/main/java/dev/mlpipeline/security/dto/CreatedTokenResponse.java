package dev.mlpipeline.security.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.security.ApiToken;

@Schema(name = "CreatedToken", description = "A new API token with its secret, shown this once")
public record CreatedTokenResponse(String id, String name, List<String> roles, @Schema(nullable = true) String createdBy, Instant createdAt,
        @Schema(nullable = true) Instant expiresAt,
        @Schema(description = "The bearer token (mlp_ and 52 base32 characters); only its SHA-256 is stored, it cannot be shown again") String token) {

    public static CreatedTokenResponse of(ApiToken t, String secret) {
        return new CreatedTokenResponse(t.id(), t.name(), t.roles(), t.createdBy(), t.createdAt(), t.expiresAt(), secret);
    }
}
