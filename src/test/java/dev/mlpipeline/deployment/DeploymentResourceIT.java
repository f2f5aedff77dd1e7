package dev.mlpipeline.deployment;

import dev.mlpipeline.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DeploymentResourceTest} against the packaged jar (prod profile, PostgreSQL from {@link PostgresResource}). */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class DeploymentResourceIT extends DeploymentResourceTest {
}
