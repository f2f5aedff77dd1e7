package dev.mlpipeline.dataset;

import dev.mlpipeline.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DatasetResourceTest} against the packaged jar (prod profile, PostgreSQL from {@link PostgresResource}). */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class DatasetResourceIT extends DatasetResourceTest {
}
