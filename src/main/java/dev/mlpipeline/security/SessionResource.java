package dev.mlpipeline.security;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.security.dto.CreateSessionRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/**
 * Web console sign-in: the token travels once in a JSON body and then in an {@code HttpOnly; Secure;
 * SameSite=Strict} cookie ({@value TokenAuthenticationMechanism#COOKIE}) that scripts cannot read and
 * that browsers never send with a cross-site request. The cookie holds the token itself (no server-side
 * session): revoking the token ends every session made with it. The check and the cookie are
 * {@link SessionService}'s, which the console's sign-in page uses too.
 */
@Path("/api/session")
@Tag(name = "Security")
@Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
public class SessionResource {

    @Inject
    SessionService sessions;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSession", summary = "Sign in: check a token and set it as the mlp_session cookie (open)",
            description = "For browsers: later requests authenticate with the cookie instead of an Authorization header.")
    @APIResponse(responseCode = "204", description = "Signed in",
            headers = @Header(name = "Set-Cookie", description = "mlp_session=…; Path=/; HttpOnly; Secure; SameSite=Strict",
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "token missing")
    @APIResponse(responseCode = "401", description = "The token is unknown, revoked or expired")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateSessionRequest.class),
            examples = @ExampleObject(name = "token", summary = "An API token",
                    value = "{\"token\": \"mlp_0123456789abcdefghjkmnpqrstvwxyz0123456789abcdefgh\"}")))
    public Uni<Response> createSession(CreateSessionRequest request) {
        return sessions.signIn(request == null ? null : request.token())
                .map(signedIn -> Response.noContent().header(HttpHeaders.SET_COOKIE, signedIn.setCookie()).build())
                .onFailure(AuthenticationFailedException.class).recoverWithItem(f -> Response.status(401).type(Problem.MEDIA_TYPE)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"mlpipeline\", error=\"invalid_token\"")
                        .entity(ProblemMapper.problem(401, f.getMessage(), "/api/session", List.of())).build());
    }

    @DELETE
    @Operation(operationId = "deleteSession", summary = "Sign out: clear the mlp_session cookie (open)")
    @APIResponse(responseCode = "204", description = "Signed out",
            headers = @Header(name = "Set-Cookie", description = "mlp_session=; Max-Age=0", schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> deleteSession() {
        return Uni.createFrom().item(Response.noContent().header(HttpHeaders.SET_COOKIE, sessions.signOut()).build());
    }
}
