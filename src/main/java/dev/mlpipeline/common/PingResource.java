package dev.mlpipeline.common;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

/**
 * A constant answer through the same HTTP and JSON stack as the API: the ceiling that the predict
 * benchmark compares against (see docs/benchmarks.md). It reads nothing and stores nothing.
 */
@Path("/api/ping")
@Tag(name = "Operations", description = "Service checks")
public class PingResource {

    private static final Map<String, String> PONG = Map.of("status", "ok");

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "ping", summary = "Return a constant JSON object (HTTP stack baseline)")
    @APIResponse(responseCode = "200", description = "{\"status\":\"ok\"}")
    public Uni<Map<String, String>> ping() {
        return Uni.createFrom().item(PONG);
    }
}
