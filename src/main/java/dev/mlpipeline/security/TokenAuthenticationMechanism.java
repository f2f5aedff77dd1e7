package dev.mlpipeline.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads this service's own bearer tokens ({@code mlp_…} API tokens and the bootstrap token) from
 * {@code Authorization: Bearer …}, or, without that header, from the {@code mlp_session} cookie that
 * {@code POST /api/session} sets, and hands them to {@link TokenIdentityProvider}. It runs before the
 * OIDC mechanism: when an OIDC issuer is configured, a bearer value that looks like a JWT (three
 * dot-separated parts) is left to OIDC; otherwise a bearer value that is not one of ours is refused.
 *
 * <p>Authentication is lazy ({@code quarkus.http.auth.proactive=false}): {@link AccessFilter} asks for
 * the identity of each {@code /api} request, so that refusals are problem+json and audited.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The session cookie's name. */
    public static final String COOKIE = "mlp_session";

    private static final String BEARER = "Bearer ";

    @Inject
    ApiTokenService tokens;

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidcEnabled;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = bearer(context).orElse(null);
        if (token == null) {
            Cookie cookie = context.request().getCookie(COOKIE);
            if (cookie == null || cookie.getValue().isBlank()) {
                return Uni.createFrom().nullItem();
            }
            token = cookie.getValue().strip();
        } else if (oidcEnabled && looksLikeJwt(token) && !tokens.isBootstrap(token)) {
            return Uni.createFrom().nullItem();
        }
        if (token.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The bearer token is empty."));
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new TokenAuthenticationRequest(token), context));
    }

    /** The value of an {@code Authorization: Bearer} header, or empty (no header, or another scheme). */
    static Optional<String> bearer(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).strip());
    }

    private static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"mlpipeline\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    /** Before OIDC's bearer mechanism. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
