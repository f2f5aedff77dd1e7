package dev.mlpipeline.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.mlpipeline.common.Problem;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's form of the access refusals that the API answers with problem+json: a page request
 * without a valid session (401) goes to the sign-in page and comes back afterwards; a refused action
 * (403) is explained in HTML. The decision itself is the API's ({@code security.AccessFilter}, by the
 * console method's name, which is the operationId whose role it needs); this only changes its form.
 */
public class ConsoleRefusals {

    static final String SIGN_IN = ConsolePaths.ROOT + "/sign-in";

    @ServerResponseFilter
    public void present(ContainerRequestContext request, ContainerResponseContext response, RoutingContext routing) {
        int status = response.getStatus();
        if ((status != 401 && status != 403) || !ConsolePaths.isConsole(routing.normalizedPath())) {
            return;
        }
        if (!(response.getEntity() instanceof Problem problem)) {
            return; // already HTML: the CSRF refusal, or the sign-in form's own answer to a bad token
        }
        boolean htmx = request.getHeaderString("HX-Request") != null;
        if (status == 401) {
            String current = htmx && request.getHeaderString("HX-Current-URL") != null ? pathOf(request.getHeaderString("HX-Current-URL"))
                    : routing.request().uri();
            String signIn = SIGN_IN + "?next=" + URLEncoder.encode(current, StandardCharsets.UTF_8);
            response.getHeaders().remove("WWW-Authenticate");
            if (htmx) {
                response.setStatus(200);
                response.getHeaders().putSingle("HX-Redirect", signIn);
                response.setEntity("", null, MediaType.TEXT_HTML_TYPE);
            } else if ("GET".equals(request.getMethod())) {
                response.setStatus(303);
                response.getHeaders().putSingle("Location", signIn);
                response.setEntity("", null, MediaType.TEXT_HTML_TYPE);
            }
            return;
        }
        String html = (htmx ? ConsoleErrors.Templates.error$problem(problem) : ConsoleErrors.Templates.error(problem)).render();
        response.setEntity(html, null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }

    /** The path and query of an absolute URL (htmx sends the page's URL in HX-Current-URL). */
    private static String pathOf(String url) {
        int scheme = url.indexOf("://");
        int slash = scheme < 0 ? url.indexOf('/') : url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }
}
