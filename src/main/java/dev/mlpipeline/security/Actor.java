package dev.mlpipeline.security;

import java.security.Principal;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.vertx.ContextLocals;

/**
 * Who made a request, as the audit trail and the {@code created_by} / {@code deployed_by} columns name
 * them: an API token's name and id, the bootstrap token, or an OIDC identity's name and subject.
 *
 * @param name the token's name, {@code bootstrap}, the OIDC principal's name, or {@code anonymous}
 * @param id   the token's id ({@code tok_…}), {@code bootstrap}, the OIDC subject, or null (anonymous)
 */
public record Actor(String name, String id) {

    /** No credentials were sent (possible only with {@code mlpipeline.security.enabled=false}, or on open operations). */
    public static final Actor ANONYMOUS = new Actor("anonymous", null);

    /** The attribute of a token identity that holds the token's id. */
    static final String TOKEN_ID = "mlpipeline.token_id";

    private static final String LOCAL_KEY = "mlpipeline.actor";

    /** The actor of {@code identity}; {@link #ANONYMOUS} for null or anonymous. */
    public static Actor of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        Principal principal = identity.getPrincipal();
        Object tokenId = identity.getAttribute(TOKEN_ID);
        if (tokenId != null) {
            return new Actor(principal.getName(), tokenId.toString());
        }
        String subject = principal instanceof JsonWebToken jwt ? jwt.getSubject() : null;
        return new Actor(principal.getName() != null ? principal.getName() : subject, subject);
    }

    /** Remembers the actor for the rest of the request (on the request's duplicated Vert.x context). */
    static void remember(Actor actor) {
        try {
            ContextLocals.put(LOCAL_KEY, actor);
        } catch (UnsupportedOperationException | IllegalStateException e) {
            // Not on a request's duplicated context: nothing to remember it in.
        }
    }

    /**
     * The actor of the request being handled, for {@code created_by} and {@code deployed_by}: null outside
     * a request, or when the request carried no credentials.
     */
    public static String currentName() {
        try {
            Actor actor = ContextLocals.<Actor>get(LOCAL_KEY).orElse(ANONYMOUS);
            return actor == ANONYMOUS ? null : actor.name();
        } catch (UnsupportedOperationException | IllegalStateException e) {
            return null;
        }
    }
}
