package dev.mlpipeline.security;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.security.dto.CreateTokenRequest;
import dev.mlpipeline.security.dto.CreatedTokenResponse;
import dev.mlpipeline.security.dto.TokenResponse;
import io.smallrye.mutiny.Uni;

@Path("/api/tokens")
@Tag(name = "Security", description = "API tokens, web console sessions and the audit trail")
@Produces(MediaType.APPLICATION_JSON)
public class ApiTokenResource {

    static final String CREATE_EXAMPLE = "{\"name\": \"ci-training\", \"roles\": [\"trainer\"], \"expires_in_days\": 30}";
    static final String CREATED_EXAMPLE = "{\"id\": \"tok_01m8qga5wdqadasvxghm28h0pq\", \"name\": \"ci-training\", \"roles\": [\"trainer\"],"
            + " \"created_by\": \"bootstrap\", \"created_at\": \"2026-11-30T12:00:00Z\", \"expires_at\": \"2026-12-30T12:00:00Z\","
            + " \"token\": \"mlp_0123456789abcdefghjkmnpqrstvwxyz0123456789abcdefgh\"}";

    @Inject
    ApiTokenService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createToken", summary = "Create an API token (admin); its secret is in this answer only",
            description = "Only the secret's SHA-256 is stored. Send it as `Authorization: Bearer mlp_…`.")
    @APIResponse(responseCode = "201", description = "Created; `token` is the secret",
            headers = @Header(name = "Location", description = "URL of the token list", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = CreatedTokenResponse.class),
                    examples = @ExampleObject(name = "trainer", summary = "A trainer token for CI", value = CREATED_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "name missing, no or unknown roles, expires_in_days out of 1..3650")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateTokenRequest.class),
            examples = @ExampleObject(name = "trainer", summary = "A trainer token for CI", value = CREATE_EXAMPLE)))
    public Uni<RestResponse<CreatedTokenResponse>> createToken(CreateTokenRequest request) {
        if (request == null) {
            throw InvalidInputException.forField("name", "is required: send {\"name\": \"…\", \"roles\": [\"viewer\"]}");
        }
        return service.createToken(request.name(), request.roles(), request.expiresInDays(), Actor.currentName())
                .map(created -> RestResponse.ResponseBuilder.<CreatedTokenResponse>created(URI.create("/api/tokens"))
                        .entity(CreatedTokenResponse.of(created.token(), created.secret())).build());
    }

    @GET
    @Operation(operationId = "listTokens", summary = "Every API token, newest first, without secrets (admin)")
    @APIResponse(responseCode = "200", description = "The tokens, revoked and expired ones included")
    public Uni<List<TokenResponse>> listTokens() {
        return service.listTokens().map(list -> list.stream().map(TokenResponse::of).toList());
    }

    @DELETE
    @Path("/{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @Operation(operationId = "revokeToken", summary = "Revoke an API token (admin)",
            description = "Refused on this replica at once, on every other replica within mlpipeline.security.token-cache-ttl (1 s). Revoking twice is harmless.")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such token")
    public Uni<RestResponse<Void>> revokeToken(@PathParam("id") String id) {
        return service.revokeToken(id).map(ignored -> RestResponse.noContent());
    }
}
