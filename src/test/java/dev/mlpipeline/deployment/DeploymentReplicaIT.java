package dev.mlpipeline.deployment;

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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas of the packaged service on one PostgreSQL: a deploy on one is served by the other
 * (LISTEN/NOTIFY); readiness waits for the active model during a bounded warm-up only, so that a
 * model that cannot load is reported but never takes the API out of service; a token revoked or
 * expired on one is refused by the other within 2 s. The replicas run as in prod, security on, with
 * {@code MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN}: every call sends it, and calls without it get 401.
 * Runs in {@code verify}, after the jar is built.
 */
class DeploymentReplicaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration POLL = Duration.ofMillis(50);
    /** The replicas' bootstrap (admin) token. */
    private static final String BOOTSTRAP = "replica-it-bootstrap-0123456789abcdef0123456789";
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

    /** Both replicas' warm-up: readiness waits at most this long after start for the active model. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    private static String start(String name) throws IOException {
        return start(name, WARM_UP);
    }

    private static String start(String name, Duration warmUp) throws IOException {
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
        env.put("MLPIPELINE_DEPLOYMENTS_WARM_UP_TIMEOUT", warmUp.toSeconds() + "s");
        env.put("HOSTNAME", name);
        env.put("MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN", BOOTSTRAP);
        replicas.add(builder.start());
        System.out.println(name + " on port " + port + ", log " + log);
        return "http://localhost:" + port;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return send(request, BOOTSTRAP);
    }

    /** Sends with {@code Authorization: Bearer token}; none when {@code token} is null. */
    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
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
    void aRevokedOrExpiredTokenIsRefusedByTheOtherReplicaWithinTwoSeconds() throws Exception {
        for (String base : List.of(a, b)) {
            var anonymous = send(HttpRequest.newBuilder(URI.create(base + "/api/datasets")).GET(), null);
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        for (String how : List.of("revoked", "expired")) {
            var created = postJson(a + "/api/tokens", "{\"name\":\"" + how + "-viewer\",\"roles\":[\"viewer\"]}");
            assertEquals(201, created.statusCode(), created.body());
            String token = (String) json(created).get("token");
            String id = (String) json(created).get("id");
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(b + "/api/datasets")).GET(), token).statusCode());
            long start = System.nanoTime();
            if (how.equals("revoked")) {
                assertEquals(204, send(HttpRequest.newBuilder(URI.create(a + "/api/tokens/" + id)).DELETE()).statusCode());
            } else {
                try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
                        Statement s = c.createStatement()) {
                    s.execute("UPDATE api_token SET expires_at = clock_timestamp() WHERE id = '" + id + "'");
                }
            }
            await(how + " token refused by B").atMost(Duration.ofSeconds(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> send(HttpRequest.newBuilder(URI.create(b + "/api/datasets")).GET(), token).statusCode() == 401);
            System.out.println("Replica B refused the " + how + " token " + (System.nanoTime() - start) / 1_000_000 + " ms after it was " + how + " on A");
            var refused = send(HttpRequest.newBuilder(URI.create(b + "/api/datasets")).GET(), token);
            assertTrue(refused.body().contains(how), refused.body());
        }
    }

    @Test
    void aModelThatCannotLoadKeepsEveryReplicaInServiceAfterTheWarmUp() throws Exception {
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
        // B stays ready (or becomes so once its warm-up is over) and says why it cannot serve the model.
        HttpResponse<String> ready = awaitReady(b, "\"failed\"", WARM_UP.plusSeconds(10));
        assertTrue(ready.body().contains("dep_broken"), ready.body());
        assertTrue(ready.body().contains("cannot be loaded"), ready.body());
        var predicted = postJson(b + "/api/deployments/predict", ROW);
        assertEquals(503, predicted.statusCode());
        assertTrue(predicted.body().contains("dep_broken") && predicted.body().contains("cannot be loaded"), predicted.body());
        assertTrue(get(b + "/q/metrics").body().contains("mlpipeline_active_model_load_failed 1.0"));
        assertEquals(200, get(b + "/api/deployments/active").statusCode());

        // A replica that starts now waits for the model during its warm-up only, then joins the Service.
        Duration warmUp = Duration.ofSeconds(15);
        String c = start("replica-c", warmUp);
        awaitStatus(c + "/q/health/ready", 503, Duration.ofSeconds(90));
        long waitingSince = System.nanoTime();
        var waiting = get(c + "/q/health/ready");
        assertTrue(waiting.body().contains("dep_broken") && waiting.body().contains("warm_up_remaining_seconds"), waiting.body());
        ready = awaitReady(c, "\"failed\"", warmUp.plusSeconds(10));
        assertTrue(ready.body().contains("cannot be loaded"), ready.body());
        System.out.println("Replica C became ready " + (System.nanoTime() - waitingSince) / 1_000_000
                + " ms after its first 503, with the active model unloadable");
        assertEquals(503, postJson(c + "/api/deployments/predict", ROW).statusCode());

        // A good deploy makes every replica serve again.
        assertEquals(201, postJson(a + "/api/deployments/deploy", "{\"job_id\":\"" + good + "\"}").statusCode());
        for (String replica : List.of(a, b, c)) {
            awaitReady(replica, "\"serving\"", Duration.ofSeconds(5));
            awaitStatus(replica + "/api/deployments/predict", ROW, 200, Duration.ofSeconds(5));
        }
    }

    /** Waits until {@code base} answers 200 on readiness with {@code fragment} in the body; returns that response. */
    private static HttpResponse<String> awaitReady(String base, String fragment, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            var response = get(base + "/q/health/ready");
            if (response.statusCode() == 200 && response.body().contains(fragment)) {
                return response;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(base + " not ready with " + fragment + " within " + max + ": " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitStatus(String url, String jsonBody, int status, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            var response = postJson(url, jsonBody);
            if (response.statusCode() == status) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " answered " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(100);
        }
    }
}
