package dev.mlpipeline.security.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "AuditPurge")
public record PurgeResponse(@Schema(description = "Audit events deleted") long deleted) {
}
