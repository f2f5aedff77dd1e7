package dev.mlpipeline.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with security on, as in prod, and a bootstrap token: the one test profile of the security tests. */
public class SecurityOnProfile implements QuarkusTestProfile {

    /** The bootstrap token of this profile (admin). */
    public static final String BOOTSTRAP = "test-bootstrap-0123456789abcdef0123456789abcdef";

    @Override
    public Map<String, String> getConfigOverrides() {
        // 4xx answers are logged at DEBUG (common/ProblemMapper): on, so that the no-token-in-logs check sees them.
        return Map.of("mlpipeline.security.enabled", "true", "mlpipeline.security.bootstrap-token", BOOTSTRAP,
                "quarkus.log.category.\"dev.mlpipeline\".level", "DEBUG");
    }
}
