package dev.mlpipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL for the {@code *IT} classes, started in the test JVM (as {@code DeploymentReplicaIT}
 * does) and handed to the packaged jar like a production database: the jar runs in its prod
 * profile, where the embedded database is off, with the standard datasource settings. Quarkus
 * also sets the returned values as system properties of the test JVM, which is how
 * {@link TestDatabase} reaches the same database.
 *
 * <p>Every {@code *IT} names this one resource, so Quarkus starts the jar once for all of them
 * ({@code MATCHING_RESOURCES}).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL for the integration tests", e);
        }
        String hostPort = "localhost:" + postgres.getPort() + "/postgres";
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                // As in the test profile: jobs are claimed and report progress quickly, so the
                // inherited tests that watch a running job see it within their deadlines.
                "mlpipeline.jobs.poll-interval", "200ms",
                "mlpipeline.jobs.heartbeat-interval", "200ms",
                "mlpipeline.deployments.warm-up-timeout", "5s",
                // The inherited tests call the API without tokens, as in the test profile; the packaged
                // service with security on is DeploymentReplicaIT's (bootstrap token, 401 without it).
                "mlpipeline.security.enabled", "false",
                // As in the test profile: the inherited tests keep jobs running with thousands of trees, which
                // memory admission would refuse on the jar's 1 GB heap (MemoryAdmissionTest covers admission).
                "mlpipeline.jobs.memory-budget", "64G");
    }

    /**
     * Leaves the server running: Quarkus stops test resources before the jar, and a database that
     * vanishes under the running jar makes it log failed polls. zonky's own shutdown hook stops
     * the server and deletes its directory when the test JVM exits, after the jar has stopped.
     */
    @Override
    public void stop() {
    }
}
