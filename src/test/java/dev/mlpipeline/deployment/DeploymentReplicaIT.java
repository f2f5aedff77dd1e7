package dev.mlpipeline.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.ApiFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Two replicas of the packaged service on one PostgreSQL: a deploy on one is served by the other
 * (LISTEN/NOTIFY), and readiness follows whether the active model is warm. Runs in {@code verify},
 * after the jar is built.
 */
class DeploymentReplicaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration POLL = Duration.ofMillis(50);
    private static EmbeddedPostgres postgres;
    private static final List<Process> replicas = new ArrayList<>();
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("target", "quarkus-app", "quarkus-run.jar")),
                "runs against the packaged JVM service (not built by a native build)");
        postgres = EmbeddedPostgres.builder().start();
        a = start("replica-a");
        b = start("replica-b");
        for (String base : List.of(a, b)) {
            awaitStatus(base + "/q/health/ready", 200, Duration.ofSeconds(90));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        replicas.forEach(Process::destroy);
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String start(String name) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile(name, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-Dquarkus.http.port=" + port,
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + postgres.getPort() + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("MLPIPELINE_DEPLOYMENTS_RECHECK_INTERVAL", "30s"); // so the test sees NOTIFY at work, not the re-check
        env.put("HOSTNAME", name);
        replicas.add(builder.start());
        System.out.println(name + " on port " + port + ", log " + log);
        return "http://localhost:" + port;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static HttpResponse<String> postJson(String url, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Polls {@code url} until it answers {@code status}, within {@code max} (a replica still starting refuses connections). */
    private static void awaitStatus(String url, int status, Duration max) {
        await(url + " answering " + status).atMost(max).pollInterval(POLL).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> get(url).statusCode() == status);
    }

    private static Map<?, ?> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), Map.class);
    }

    private static String uploadIris(String base) throws Exception {
        String boundary = "----it" + System.nanoTime();
        byte[] file = Files.readAllBytes(Path.of("samples", "iris.csv"));
        var body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iris.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes());
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes());
        var response = send(HttpRequest.newBuilder(URI.create(base + "/api/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(201, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    private static String train(String base, String dataset, String modelType) throws Exception {
        var response = postJson(base + "/api/training/jobs",
                "{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"" + modelType + "\",\"target_column\":\"species\"}");
        assertEquals(202, response.statusCode(), response.body());
        String id = (String) json(response).get("id");
        await("job " + id + " COMPLETED").atMost(ApiFixtures.JOB_DEADLINE).pollInterval(POLL)
                .until(() -> "COMPLETED".equals(json(get(base + "/api/training/jobs/" + id)).get("status")));
        return id;
    }

    private static final String ROW = "[{\"sepal_length\":6.3,\"sepal_width\":2.9,\"petal_length\":5.6,\"petal_width\":1.8}]";

    @Test
    void aDeployOnOneReplicaIsServedByTheOtherWithinTwoSeconds() throws Exception {
        String dataset = uploadIris(a);
        String first = train(a, dataset, "LogisticRegression");
        String second = train(a, dataset, "DecisionTree");

        for (String job : List.of(first, second)) {
            var deployed = postJson(a + "/api/deployments/deploy", "{\"job_id\":\"" + job + "\"}");
            assertEquals(201, deployed.statusCode(), deployed.body());
            String deploymentId = (String) json(deployed).get("id");
            long start = System.nanoTime();
            // Served at once by the deploying replica...
            assertEquals(deploymentId, json(postJson(a + "/api/deployments/predict", ROW)).get("deployment_id"));
            // ...and by the other one as soon as it has warmed the model.
            String[] last = { "nothing yet" };
            Duration left = Duration.ofSeconds(2).minusNanos(System.nanoTime() - start);
            try {
                await().atMost(left.isNegative() ? Duration.ofMillis(1) : left).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(20)).until(() -> {
                            var predicted = postJson(b + "/api/deployments/predict", ROW);
                            last[0] = predicted.statusCode() + " " + predicted.body();
                            return predicted.statusCode() == 200 && deploymentId.equals(json(predicted).get("deployment_id"));
                        });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("replica B still answers " + last[0], e);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("Replica B served " + deploymentId + " " + millis + " ms after the deploy on A");
            assertEquals(200, get(b + "/q/health/ready").statusCode());
        }
    }

    @Test
    void readinessIsDownWhileTheActiveModelCannotBeWarmed() throws Exception {
        String dataset = uploadIris(a);
        String good = train(a, dataset, "LogisticRegression");
        String broken = train(a, dataset, "DecisionTree");
        assertEquals(201, postJson(a + "/api/deployments/deploy", "{\"job_id\":\"" + good + "\"}").statusCode());
        awaitStatus(b + "/q/health/ready", 200, Duration.ofSeconds(5));
        // Another "replica" activates a version whose artifact is corrupt, bypassing the API's checks.
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                Statement s = c.createStatement()) {
            s.execute("UPDATE model_artifact SET bytes = overlay(bytes placing '\\x00'::bytea from 100 for 1)"
                    + " WHERE id = (SELECT artifact_id FROM training_job WHERE id = '" + broken + "')");
            s.execute("BEGIN");
            s.execute("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp() WHERE is_active");
            s.execute("INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version, is_active, created_at)"
                    + " SELECT 'dep_broken', id, 'training', dataset_id, model_type, version, true, clock_timestamp()"
                    + " FROM training_job WHERE id = '" + broken + "'");
            s.execute("SELECT pg_notify('mlpipeline_deployments', 'dep_broken')");
            s.execute("COMMIT");
        }
        awaitStatus(b + "/q/health/ready", 503, Duration.ofSeconds(5));
        var notReady = get(b + "/q/health/ready");
        assertTrue(notReady.body().contains("dep_broken"), notReady.body());
        assertEquals(503, postJson(b + "/api/deployments/predict", ROW).statusCode());
        // A good deploy makes every replica ready again.
        assertEquals(201, postJson(a + "/api/deployments/deploy", "{\"job_id\":\"" + good + "\"}").statusCode());
        awaitStatus(b + "/q/health/ready", 200, Duration.ofSeconds(5));
        awaitStatus(a + "/q/health/ready", 200, Duration.ofSeconds(5));
    }
}
