package dev.mlpipeline.common;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem+json for what never reaches a resource method: a path that no route serves (404), a
 * body the HTTP layer refused before the application saw it (413 above {@code
 * quarkus.http.limits.max-body-size}), and any other status a Vert.x route failed with (a
 * malformed multipart body, for one). {@link RequestGuard} answers bad URIs and headers first.
 */
@Singleton
public class FallbackRoutes {

    private static final Logger LOG = Logger.getLogger(FallbackRoutes.class);

    void register(@Observes Router router) {
        router.route().last().handler(ctx -> write(ctx, 404,
                "No resource matches " + ctx.request().method() + " " + ctx.normalizedPath() + "; see /q/openapi for the API."));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (ctx.response().headWritten() || ctx.response().ended()) {
                ctx.next();
            } else if (status == 413) {
                write(ctx, 413, "The request body is larger than this service accepts; upload a smaller file.");
            } else if (status >= 400 && status < 500) {
                write(ctx, status, "The request could not be processed (HTTP " + status + ")"
                        + (ctx.failure() != null && ctx.failure().getMessage() != null ? ": " + ctx.failure().getMessage() : "")
                        + "; see /q/openapi for the API.");
            } else {
                Response response = ProblemMapper.toResponse(ctx.failure() != null ? ctx.failure()
                        : new IllegalStateException("route failed with status " + status), ctx.request().path());
                write(ctx, response.getStatus(), ((Problem) response.getEntity()).detail());
            }
        });
    }

    private static void write(RoutingContext ctx, int status, String detail) {
        write(ctx, status, detail, java.util.List.of());
    }

    /** Ends the request with a problem+json body; {@code instance} is the raw path, cut at 200 characters. */
    static void write(RoutingContext ctx, int status, String detail, java.util.List<DomainException.FieldError> errors) {
        String path = ctx.request().path();
        String instance = path == null ? null : path.length() > 200 ? path.substring(0, 200) + "…" : path;
        Problem problem = ProblemMapper.problem(status, detail, instance, errors);
        LOG.debugf("Request %s answered %d: %s", instance, status, detail);
        if (ProblemMapper.isInferenceProtocol(path)) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.encode(ProblemMapper.inferenceError(problem)));
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }
}
