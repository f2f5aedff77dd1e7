package dev.mlpipeline.console;

import java.util.Set;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.security.AccessPolicy;
import dev.mlpipeline.security.Actor;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Tells {@link ConsoleSession} who the browser is, for the top bar and for the actions a page offers.
 * The identity is the one {@code security.AccessFilter} decides on (Quarkus' deferred identity of the
 * request, which {@code security.TokenAuthenticationMechanism} reads from the {@code mlp_session} cookie
 * that the sign-in page sets; it is resolved once per request), and an action is offered when
 * {@link AccessPolicy.Access#grantedTo} allows its operationId to the identity's roles: the same rule the
 * filter enforces. With {@code mlpipeline.security.enabled=false} every action is offered, as the API
 * allows every call.
 *
 * <p>It runs before the access filter, so that a refusal page (403) still shows who is signed in.
 */
public class ConsoleIdentity {

    @Inject
    CurrentIdentityAssociation identities;

    /** Looked up per request: the filter is created at static init, before config mappings exist. */
    @Inject
    Instance<MlpipelineConfig> config;

    @Inject
    ConsoleSession session;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 10)
    public Uni<Void> identify(RoutingContext routing) {
        if (!config.get().security().enabled() || !ConsolePaths.isConsole(routing.normalizedPath())) {
            return Uni.createFrom().voidItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull() // a bad or revoked session cookie: signed out (the access filter answers 401)
                .invoke(this::identify)
                .replaceWithVoid();
    }

    private void identify(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            session.identify(true, null, null, operationId -> AccessPolicy.of(operationId).open());
            return;
        }
        Set<String> roles = identity.getRoles();
        session.identify(true, Actor.of(identity).name(), String.join(", ", new java.util.TreeSet<>(roles)),
                operationId -> AccessPolicy.of(operationId).grantedTo(roles));
    }
}
