package dev.mlpipeline.security.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateSessionRequest")
public record CreateSessionRequest(@Schema(required = true, description = "An API token (mlp_…) or the bootstrap token",
        examples = "mlp_0123456789abcdefghjkmnpqrstvwxyz0123456789abcdefgh") String token) {
}
