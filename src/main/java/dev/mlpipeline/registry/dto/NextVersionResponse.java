package dev.mlpipeline.registry.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "NextVersion", description = "The version the next job completing for this (dataset, model type) will get")
public record NextVersionResponse(int nextVersion) {
}
