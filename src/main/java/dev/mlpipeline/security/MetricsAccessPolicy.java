package dev.mlpipeline.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.MlpipelineConfig;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /q/metrics} (bound in application.properties, {@code quarkus.http.auth.permission.metrics}): open
 * unless security is on and {@code mlpipeline.security.metrics-open=false}, then {@code viewer}.
 */
@ApplicationScoped
public class MetricsAccessPolicy implements HttpSecurityPolicy {

    @Inject
    MlpipelineConfig config;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity, AuthorizationRequestContext context) {
        if (!config.security().enabled() || config.security().metricsOpen()) {
            return CheckResult.permit();
        }
        return identity.map(id -> !id.isAnonymous() && Role.VIEWER.grantedBy(id.getRoles()) ? CheckResult.PERMIT : CheckResult.DENY);
    }

    @Override
    public String name() {
        return "mlpipeline-metrics";
    }
}
