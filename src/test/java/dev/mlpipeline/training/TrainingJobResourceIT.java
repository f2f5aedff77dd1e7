package dev.mlpipeline.training;

import dev.mlpipeline.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TrainingJobResourceTest} against the packaged jar (prod profile, PostgreSQL from {@link PostgresResource}). */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class TrainingJobResourceIT extends TrainingJobResourceTest {
}
