package dev.mlpipeline.common;

import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * Gives every HTTP request an id: the client's {@code X-Request-Id} when it sends a usable one
 * (1–128 characters of letters, digits and {@code . _ - : /}; anything else is replaced, never echoed),
 * else a new one. The id is echoed in the {@code X-Request-Id} response header, put in the logging MDC
 * under {@value #MDC_KEY} (so every log line written while handling the request carries it, JSON logs
 * included), and written into problem+json bodies as {@code request_id}.
 *
 * <p>The handler runs first on Vert.x's router, before any resource, so framework errors (404 of an
 * unknown route, 405, 413) carry the id too. Quarkus keeps the MDC in the request's duplicated Vert.x
 * context, so the value follows the request across the reactive pipeline and back from worker threads.
 */
@Singleton
public class RequestIds {

    /** The request and response header. */
    public static final String HEADER = "X-Request-Id";
    /** The MDC key, and the JSON log field under {@code mdc}. */
    public static final String MDC_KEY = "request_id";

    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String id = accept(ctx.request().getHeader(HEADER));
            MDC.put(MDC_KEY, id);
            ctx.put(MDC_KEY, id);
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        });
    }

    /** The client's id if usable, else a new one ({@code req_…}, time-ordered like every id of the service). */
    static String accept(String offered) {
        return offered != null && USABLE.matcher(offered).matches() ? offered : Ids.next("req");
    }

    /** The id of the request being handled on this thread's context, or null outside a request. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }
}
