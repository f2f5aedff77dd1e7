package dev.mlpipeline.common;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem+json for what never reaches a resource method: a path that no route serves (404) and
 * a body the HTTP layer refused before the application saw it (413 above
 * {@code quarkus.http.limits.max-body-size}).
 */
@Singleton
public class FallbackRoutes {

    private static final Logger LOG = Logger.getLogger(FallbackRoutes.class);

    void register(@Observes Router router) {
        router.route().last().handler(ctx -> write(ctx, 404,
                "No resource matches " + ctx.request().method() + " " + ctx.normalizedPath() + "; see /q/openapi for the API."));
        router.route().failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                write(ctx, 413, "The request body is larger than this service accepts; upload a smaller file.");
            } else {
                ctx.next();
            }
        });
    }

    private static void write(RoutingContext ctx, int status, String detail) {
        Problem problem = ProblemMapper.problem(status, detail, ctx.request().path(), java.util.List.of());
        LOG.debugf("Request %s answered %d: %s", ctx.request().path(), status, detail);
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }
}
