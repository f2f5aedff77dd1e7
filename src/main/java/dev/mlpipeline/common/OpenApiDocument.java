package dev.mlpipeline.common;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.servers.Server;

/**
 * Document-level OpenAPI declarations: the {@link Problem} schema every error response refers to
 * (see {@link ProblemResponsesFilter}), and one relative server, so that Swagger UI calls the host
 * it was loaded from and a generated client is pointed at its service by its base URI. Title,
 * version and license come from {@code quarkus.smallrye-openapi.info-*} in application.properties.
 */
@OpenAPIDefinition(info = @Info(title = "Model Registry API", version = "0.1.0"),
        servers = @Server(url = "/", description = "The service that serves this document"),
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
public class OpenApiDocument extends Application {
}
