package dev.mlpipeline.security;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a service that nobody could administer: with security on, no OIDC issuer, no
 * bootstrap token and no usable admin token in the database, every request would be refused for good.
 * Runs after Flyway (the {@code api_token} table exists).
 */
@Singleton
public class SecurityStartupCheck {

    private static final Logger LOG = Logger.getLogger(SecurityStartupCheck.class);
    static final int MIN_BOOTSTRAP_LENGTH = 32;

    @Inject
    MlpipelineConfig config;

    @Inject
    ApiTokenService tokens;

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidcEnabled;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> oidcIssuer;

    void check(@Observes StartupEvent event) {
        if (!config.security().enabled()) {
            LOG.info("Security is off (mlpipeline.security.enabled=false): every /api operation is open");
            return;
        }
        config.security().bootstrapToken().filter(t -> !t.isBlank() && t.strip().length() < MIN_BOOTSTRAP_LENGTH).ifPresent(t -> {
            throw new IllegalStateException("MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN is " + t.strip().length() + " characters long; use at least "
                    + MIN_BOOTSTRAP_LENGTH + " random ones, e.g. $(openssl rand -hex 32).");
        });
        boolean oidc = oidcEnabled && oidcIssuer.isPresent();
        if (oidc || tokens.hasBootstrapToken()) {
            return;
        }
        if (!tokens.anyUsableAdmin().await().atMost(Duration.ofSeconds(30))) {
            throw new IllegalStateException("Security is on (mlpipeline.security.enabled=true) but nobody could administer this service:"
                    + " there is no OIDC issuer, no bootstrap token and no usable admin token in the database. Set"
                    + " MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN to a secret of at least " + MIN_BOOTSTRAP_LENGTH + " characters"
                    + " (e.g. $(openssl rand -hex 32); in Kubernetes the model-registry-security Secret), start again and create tokens"
                    + " with POST /api/tokens; or configure OIDC (QUARKUS_OIDC_TENANT_ENABLED=true, QUARKUS_OIDC_AUTH_SERVER_URL=…);"
                    + " or, for a closed network only, MLPIPELINE_SECURITY_ENABLED=false.");
        }
    }
}
