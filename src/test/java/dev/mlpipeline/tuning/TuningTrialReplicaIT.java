package dev.mlpipeline.tuning;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.ApiFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas of the packaged service on one PostgreSQL, one fit worker each, share the trials of a tuning
 * job (issue 16): the trials of one job are completed by both replicas, and when a replica that runs a
 * trial is killed, the coordinator gives the trial to a live worker after the heartbeat timeout and the
 * job completes. Runs in {@code verify}, after the jar is built.
 */
class TuningTrialReplicaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Pattern OWNER = Pattern.compile("Job scheduler (replica-[0-9a-f]+) ");
    private static EmbeddedPostgres postgres;
    /** Base URL → its process and log, in start order. */
    private static final Map<String, Process> processes = new LinkedHashMap<>();
    private static final Map<String, Path> logs = new LinkedHashMap<>();
    private static String a;
    private static String b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("target", "quarkus-app", "quarkus-run.jar")),
                "runs against the packaged JVM service (not built by a native build)");
        postgres = EmbeddedPostgres.builder().start();
        a = start("trials-a");
        b = start("trials-b");
        for (String base : List.of(a, b)) {
            awaitReady(base);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        processes.values().forEach(Process::destroy);
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
        env.put("MLPIPELINE_JOBS_WORKERS", "1");
        env.put("MLPIPELINE_JOBS_POLL_INTERVAL", "200ms");
        env.put("MLPIPELINE_JOBS_HEARTBEAT_INTERVAL", "500ms");
        env.put("MLPIPELINE_JOBS_HEARTBEAT_TIMEOUT", "20s"); // short for the test, but beyond the stalls of a loaded machine
        env.put("HOSTNAME", name);
        env.put("MLPIPELINE_SECURITY_ENABLED", "false"); // how trials are shared, not authentication, is under test
        String base = "http://localhost:" + port;
        processes.put(base, builder.start());
        logs.put(base, log);
        System.out.println(name + " on port " + port + ", log " + log);
        return base;
    }

    private static void awaitReady(String base) {
        await(base + " ready").atMost(Duration.ofSeconds(240)).pollInterval(POLL).ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> get(base + "/q/health/ready").statusCode() == 200);
    }

    /** The {@code claimed_by} name of a replica's scheduler, from its start-up log line. */
    private static String owner(String base) throws IOException {
        Matcher m = OWNER.matcher(Files.readString(logs.get(base)));
        assertTrue(m.find(), "no scheduler line in " + logs.get(base));
        return m.group(1);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static Map<?, ?> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), Map.class);
    }

    private static String upload(String base, String sample) throws Exception {
        String boundary = "----it" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + sample + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes());
        body.write(Files.readAllBytes(Path.of("samples", sample)));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes());
        var response = send(HttpRequest.newBuilder(URI.create(base + "/api/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(201, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    /** Submits a 12-configuration RandomForest grid on titanic (3 folds) to {@code base}; returns the job id. */
    private static String submitGrid(String base, String dataset) throws Exception {
        var response = send(HttpRequest.newBuilder(URI.create(base + "/api/tuning/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\","
                        + "\"target_column\":\"Survived\",\"cv_folds\":3,"
                        + "\"search_space\":{\"n_trees\":[100,150,200,250],\"max_depth\":[4,8,null]}}")));
        assertEquals(202, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    private static Map<?, ?> awaitFinished(String base, String job) throws Exception {
        Map<?, ?>[] last = new Map<?, ?>[1];
        await("job " + job + " finished").atMost(ApiFixtures.JOB_DEADLINE).pollInterval(POLL).until(() -> {
            last[0] = json(get(base + "/api/tuning/jobs/" + job));
            return List.of("COMPLETED", "FAILED", "CANCELLED").contains(last[0].get("status"));
        });
        return last[0];
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
    }

    @Test
    void theTrialsOfOneJobAreCompletedByBothReplicasAndALostTrialRunsAgain() throws Exception {
        String dataset = upload(a, "titanic.csv");
        String job = submitGrid(a, dataset);
        long start = System.nanoTime();
        Map<?, ?> done = awaitFinished(b, job);
        assertEquals("COMPLETED", done.get("status"), String.valueOf(done.get("error")));
        List<?> trials = (List<?>) done.get("trials");
        assertEquals(12, trials.size());
        Set<Object> replicas = new HashSet<>();
        trials.forEach(t -> replicas.add(((Map<?, ?>) t).get("replica")));
        System.out.printf("12 trials on two replicas of one worker each in %d ms (job %d ms): %s%n",
                (System.nanoTime() - start) / 1_000_000, done.get("duration_ms"), trials.stream()
                        .map(t -> ((Map<?, ?>) t).get("trial_index") + "→" + ((Map<?, ?>) t).get("replica")).toList());
        assertEquals(Set.of(owner(a), owner(b)), replicas, "each replica completed trials of the job");
        assertEquals(1, done.get("version"));

        // A third replica joins; it is killed while it runs a trial of the next job.
        String c = start("trials-c");
        awaitReady(c);
        String ownerC = owner(c);
        String next = submitGrid(a, dataset);
        int[] lost = { -1 };
        await("a trial of " + next + " running on replica C").atMost(ApiFixtures.JOB_DEADLINE).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Connection conn = db();
                            PreparedStatement s = conn.prepareStatement("SELECT trial_index FROM tuning_trial"
                                    + " WHERE tuning_job_id = ? AND status = 'RUNNING' AND claimed_by = ?")) {
                        s.setString(1, next);
                        s.setString(2, ownerC);
                        try (ResultSet rows = s.executeQuery()) {
                            if (rows.next()) {
                                lost[0] = rows.getInt(1);
                                return true;
                            }
                            return false;
                        }
                    }
                });
        processes.get(c).destroyForcibly().waitFor();
        Map<?, ?> after = awaitFinished(a, next);
        assertEquals("COMPLETED", after.get("status"), String.valueOf(after.get("error")));
        assertEquals(12, ((List<?>) after.get("trials")).size());
        try (Connection conn = db();
                PreparedStatement s = conn.prepareStatement("SELECT status, attempts, claimed_by FROM tuning_trial"
                        + " WHERE tuning_job_id = ? AND trial_index = ?")) {
            s.setString(1, next);
            s.setInt(2, lost[0]);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next());
                assertEquals("COMPLETED", row.getString(1));
                assertEquals(2, row.getInt(2), "the lost trial ran a second time");
                assertNotEquals(ownerC, row.getString(3));
            }
        }
        assertTrue(Files.readString(logs.get(a)).contains("no heartbeat from replica " + ownerC)
                || Files.readString(logs.get(b)).contains("no heartbeat from replica " + ownerC), "the coordinator logged the lost trial");
    }
}
