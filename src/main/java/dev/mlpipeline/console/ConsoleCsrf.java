package dev.mlpipeline.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * CSRF protection of the console's form posts, by the double-submit technique (OWASP CSRF
 * Prevention Cheat Sheet, "Signed Double-Submit Cookie" without the signature, relying on
 * {@code SameSite=Strict}): a random token in an {@code HttpOnly}, {@code SameSite=Strict} cookie
 * {@value #COOKIE}, and the same token written into every console page, which htmx sends back in
 * the {@value #HEADER} header of every request it makes. A console request with an unsafe method
 * whose header does not equal the cookie is refused with 403 and changes nothing.
 *
 * <p>Only console paths ({@code /} and {@code /console/...}) take part: the REST API under
 * {@code /api} is for programs, which authenticate with bearer tokens and carry no ambient cookies
 * of their own. (The {@code quarkus-rest-csrf} extension cannot be limited to some paths: it would
 * refuse every JSON and multipart post of the API that came without a token.)
 */
public class ConsoleCsrf {

    static final String COOKIE = "mlp_csrf";
    static final String HEADER = "X-CSRF-Token";
    private static final String NEW_TOKEN = "mlp.console.csrf.new";
    private static final SecureRandomHolder RANDOM = new SecureRandomHolder();

    @Inject
    ConsoleSession session;

    @ServerRequestFilter
    public Response check(ContainerRequestContext request, RoutingContext routing) {
        String path = routing.normalizedPath();
        if (!ConsolePaths.isConsole(path)) {
            return null;
        }
        Cookie cookie = routing.request().getCookie(COOKIE);
        String token = cookie == null ? null : cookie.getValue();
        boolean safe = switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
        if (!safe) {
            String sent = request.getHeaderString(HEADER);
            if (token == null || sent == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                    sent.getBytes(StandardCharsets.US_ASCII))) {
                return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity("<p class=\"error\" role=\"alert\">This form has expired or did not come from this console: "
                                + "reload the page and try again.</p>")
                        .build();
            }
        }
        if (token == null || token.length() != 43) {
            token = RANDOM.next();
            routing.put(NEW_TOKEN, token);
        }
        session.csrfToken(token);
        return null;
    }

    @ServerResponseFilter
    public void issue(ContainerResponseContext response, RoutingContext routing) {
        String token = routing.get(NEW_TOKEN);
        if (token != null) {
            Cookie cookie = Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                    .setSecure(routing.request().isSSL());
            response.getHeaders().add("Set-Cookie", cookie.encode());
        }
    }

    /** 32 random bytes, base64url without padding (43 characters); created at run time (native image). */
    private static final class SecureRandomHolder {
        private SecureRandom random;

        synchronized String next() {
            if (random == null) {
                random = new SecureRandom();
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
