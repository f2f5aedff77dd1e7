package dev.mlpipeline.security;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.common.RequestIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Enforces {@link AccessPolicy} on every JAX-RS operation and writes the audit trail.
 *
 * <p>Before the resource method: resolves the request's identity (lazily, so only here), remembers its
 * {@link Actor} for {@code created_by}/{@code deployed_by}, and with {@code mlpipeline.security.enabled}
 * answers 401 (no or bad credentials, with {@code WWW-Authenticate: Bearer}) or 403 (a role missing) as
 * problem+json. After it (and after a refusal): queues an {@link AuditEvent} for every mutating
 * operation, whatever the status, on {@link AuditWriter}.
 *
 * <p>The operationId is the resource method's name (a convention {@code OpenApiSchemaTest} enforces).
 */
public class AccessFilter {

    private static final String OPERATION = "mlpipeline.operation";
    private static final String ACTOR = "mlpipeline.actor";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    MlpipelineConfig config;

    @Inject
    AuditWriter audit;

    @Inject
    ObjectMapper json;

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authorize(ContainerRequestContext request, SimpleResourceInfo resource) {
        String operation = resource.getMethodName();
        request.setProperty(OPERATION, operation);
        AccessPolicy.Access access = AccessPolicy.of(operation);
        return identities.getDeferredIdentity()
                .map(identity -> decide(request, operation, access, identity, null))
                .onFailure(AuthenticationFailedException.class).recoverWithItem(f -> decide(request, operation, access, null, f));
    }

    private Response decide(ContainerRequestContext request, String operation, AccessPolicy.Access access, SecurityIdentity identity,
            Throwable failure) {
        Actor actor = Actor.of(identity);
        request.setProperty(ACTOR, actor);
        Actor.remember(actor);
        if (!config.security().enabled() || access.open()) {
            return null;
        }
        String instance = request.getUriInfo().getRequestUri().getRawPath();
        if (failure != null) {
            return unauthorized(instance, failure.getMessage() != null ? failure.getMessage() : "The bearer token is not valid.",
                    "Bearer realm=\"mlpipeline\", error=\"invalid_token\"");
        }
        if (identity == null || identity.isAnonymous()) {
            return unauthorized(instance, operation + " needs a bearer token with the role '" + access.role().wireName()
                    + "': send Authorization: Bearer <token> (an admin creates tokens with POST /api/tokens).", "Bearer realm=\"mlpipeline\"");
        }
        if (!access.grantedTo(identity.getRoles())) {
            return Response.status(403).type(Problem.MEDIA_TYPE).entity(ProblemMapper.problem(403, "'" + actor.name() + "' holds "
                    + identity.getRoles().stream().sorted().toList() + "; " + operation + " needs the role '" + access.role().wireName()
                    + "' (or one that includes it).", instance, List.of())).build();
        }
        return null;
    }

    private static Response unauthorized(String instance, String detail, String challenge) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .entity(ProblemMapper.problem(401, detail, instance, List.of())).build();
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        if (!(request.getProperty(OPERATION) instanceof String operation) || READ_METHODS.contains(request.getMethod())
                || !AccessPolicy.of(operation).mutation()) {
            return;
        }
        Actor actor = request.getProperty(ACTOR) instanceof Actor a ? a : Actor.ANONYMOUS;
        SocketAddress client = http.remoteAddress();
        audit.append(new AuditEvent(0, Instant.now(), actor.name(), actor.id(), operation, request.getMethod(),
                request.getUriInfo().getRequestUri().getRawPath(), target(request, response), response.getStatus(), RequestIds.current(),
                client == null ? null : client.hostAddress()));
    }

    /** The path's {@code id} (or its last parameter), else the {@code id} of what a successful request created or changed. */
    private String target(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, String> params = request.getUriInfo().getPathParameters();
        if (params.containsKey("id")) {
            return params.getFirst("id");
        }
        if (!params.isEmpty()) {
            return String.join("/", params.values().stream().map(List::getFirst).toList());
        }
        Object entity = response.getEntity();
        if (response.getStatus() < 300 && entity != null && !(entity instanceof byte[]) && !(entity instanceof String)) {
            try {
                JsonNode id = json.valueToTree(entity).get("id");
                return id != null && id.isTextual() ? id.asText() : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
