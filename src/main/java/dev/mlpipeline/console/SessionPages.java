package dev.mlpipeline.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.security.SessionService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/**
 * Signing in and out of the console. The token is checked, and the {@code mlp_session} cookie built, by
 * {@link SessionService}, the service of {@code POST /api/session} and {@code DELETE /api/session}; the
 * methods are named after those operations, so {@code security.AccessFilter} treats them alike (open,
 * audited). The page itself is {@code signInPage}, open too.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class SessionPages {

    @Inject
    SessionService sessions;

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance signIn(String next, String error);

        static native TemplateInstance signIn$result(String error);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    /** The sign-in form; {@code next} is where to go afterwards (a path of this console, else the registry). */
    @GET
    @Path("/sign-in")
    public TemplateInstance signInPage(@QueryParam("next") String next) {
        return Templates.signIn(local(next), null);
    }

    /**
     * Checks the token and sets the session cookie, as {@code POST /api/session} does; then sends the browser
     * to {@code next}. A refused token gets 401 and the form again with the reason.
     */
    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> createSession(@RestForm("token") String token, @RestForm("next") String next,
            HttpHeaders headers) {
        boolean htmx = headers.getHeaderString("HX-Request") != null;
        String target = local(next);
        return Uni.createFrom().deferred(() -> sessions.signIn(token))
                .map(signedIn -> RestResponse.ResponseBuilder.<TemplateInstance>ok().header(HttpHeaders.SET_COOKIE, signedIn.setCookie())
                        .header("HX-Redirect", target).build())
                .map(r -> htmx ? r : RestResponse.ResponseBuilder.<TemplateInstance>seeOther(java.net.URI.create(target))
                        .header(HttpHeaders.SET_COOKIE, r.getHeaderString(HttpHeaders.SET_COOKIE)).build())
                .onFailure(AuthenticationFailedException.class).recoverWithItem(f -> RestResponse.ResponseBuilder
                        .<TemplateInstance>create(RestResponse.Status.UNAUTHORIZED)
                        .entity(htmx ? Templates.signIn$result(f.getMessage()) : Templates.signIn(target, f.getMessage()))
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build());
    }

    /** Clears the session cookie, as {@code DELETE /api/session} does, and shows the sign-in page. */
    @POST
    @Path("/sign-out")
    public RestResponse<Object> deleteSession() {
        return RestResponse.ResponseBuilder.ok().header(HttpHeaders.SET_COOKIE, sessions.signOut())
                .header("HX-Redirect", ConsoleRefusals.SIGN_IN).build();
    }

    /** {@code next} when it is a path of this service ({@code /…}, not {@code //host} or {@code /\host}), else {@code /}. */
    static String local(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith(ConsoleRefusals.SIGN_IN)) {
            return "/";
        }
        return next;
    }
}
