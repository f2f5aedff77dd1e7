package dev.mlpipeline.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Signing in and out of the web console, for both {@code POST/DELETE /api/session} and the console's own
 * sign-in page: checks a token with {@link ApiTokenService#authenticate} and builds the
 * {@value TokenAuthenticationMechanism#COOKIE} cookie ({@code HttpOnly; Secure; SameSite=Strict}, the
 * {@code Secure} attribute per {@code mlpipeline.security.session-cookie-secure}) that
 * {@link TokenAuthenticationMechanism} reads on every later request. The cookie holds the token itself (no
 * server-side session): revoking the token ends every session made with it.
 */
@ApplicationScoped
public class SessionService {

    @Inject
    ApiTokenService tokens;

    @Inject
    MlpipelineConfig config;

    /**
     * A successful sign-in.
     *
     * @param identity  the token's identity (name, roles)
     * @param setCookie the value of the {@code Set-Cookie} header that starts the session
     */
    public record SignedIn(SecurityIdentity identity, String setCookie) {
    }

    /**
     * Checks {@code token} (surrounding white space ignored) and returns the cookie that starts a session with it.
     *
     * @throws InvalidInputException          (thrown) when the token is null or blank, on the field {@code token}
     * @throws AuthenticationFailedException (in the Uni) when it is unknown, revoked or expired, saying which
     */
    public Uni<SignedIn> signIn(String token) {
        if (token == null || token.isBlank()) {
            throw InvalidInputException.forField("token", "is required: an API token (mlp_…)");
        }
        String stripped = token.strip();
        return tokens.authenticate(stripped).map(identity -> new SignedIn(identity, cookie(stripped, -1)));
    }

    /** The value of the {@code Set-Cookie} header that ends the session (empty value, {@code Max-Age=0}). */
    public String signOut() {
        return cookie("", 0);
    }

    private String cookie(String value, int maxAge) {
        return TokenAuthenticationMechanism.COOKIE + "=" + value + "; Path=/; HttpOnly"
                + (config.security().sessionCookieSecure() ? "; Secure" : "") + "; SameSite=Strict" + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }
}
