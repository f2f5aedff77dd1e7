package dev.mlpipeline.security.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateTokenRequest")
public record CreateTokenRequest(
        @Schema(required = true, description = "What the token is for (shown in the audit trail); 1..255 characters", examples = "ci-training") String name,
        @Schema(required = true, description = "One or more of viewer, predictor, trainer, deployer, admin", examples = "[\"trainer\"]") List<String> roles,
        @Schema(description = "Days until the token expires, 1..3650", defaultValue = "90", minimum = "1", maximum = "3650", nullable = true,
                examples = "30") Integer expiresInDays) {
}
