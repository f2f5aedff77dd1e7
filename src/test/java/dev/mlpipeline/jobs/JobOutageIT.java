package dev.mlpipeline.jobs;

import java.io.ByteArrayOutputStream;
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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service against a PostgreSQL that the test stops and starts again, as a managed
 * database does when it restarts or fails over. Jobs running through the outage end COMPLETED with the
 * next version, requests during it are answered 503 with {@code Retry-After}, a job whose replica died
 * meanwhile is failed with what is known, and the log has no ERROR and no uncaught exception.
 *
 * <p>The database is the test's own embedded PostgreSQL, on a fixed port and data directory, so it can
 * be stopped ({@code pg_ctl stop -m fast}: open connections are terminated with 57P01) and started again
 * with its data. The service runs with a 4 s heartbeat timeout, shorter than the outages, so a scheduler
 * that counted the outage against live jobs would fail them. An outage lasts at least 6 s, and until a
 * short fit started before it has ended (the service logs that its end cannot be written yet), so that
 * the write of a job's end is retried whatever the speed of the machine.
 */
class JobOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration OUTAGE = Duration.ofSeconds(6);
    /** vertx-sql-client's pool used to fail statements of an outage a second time, 30 s later. */
    private static final Duration LATE_FAILURES = Duration.ofSeconds(32);

    private static Path dataDir;
    private static int pgPort;
    private static EmbeddedPostgres postgres;
    private static Process service;
    private static Path log;
    private static String base;
    private static long firstOutageNanos;

    @BeforeAll
    static void startDatabaseAndService() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("target", "quarkus-app", "quarkus-run.jar")),
                "runs against the packaged JVM service (not built by a native build)");
        dataDir = Files.createTempDirectory("outage-pg-");
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        startPostgres();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        log = Files.createTempFile("outage-service-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Dquarkus.http.port=" + port,
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pgPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"); // one plain line per event, for the log check
        env.put("MLPIPELINE_SECURITY_ENABLED", "false"); // the outage, not authentication, is under test
        env.put("HOSTNAME", "outage-it");
        env.put("MLPIPELINE_JOBS_WORKERS", "3");
        env.put("MLPIPELINE_JOBS_HEARTBEAT_INTERVAL", "500ms");
        env.put("MLPIPELINE_JOBS_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT.toSeconds() + "s");
        service = builder.start();
        System.out.println("JobOutageIT: service log " + log);
        base = "http://localhost:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    break;
                }
            } catch (IOException notUpYet) {
                // still starting
            }
            assertTrue(System.nanoTime() < deadline, "the service did not start; see " + log);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void checkTheLogAndStop() throws Exception {
        try {
            if (service != null && firstOutageNanos != 0) {
                // Failures that surface late (a timer of the connection pool) would be logged by now.
                long wait = LATE_FAILURES.toMillis() - (System.nanoTime() - firstOutageNanos) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                List<String> bad = new ArrayList<>();
                for (String line : Files.readAllLines(log)) {
                    if (line.contains(" ERROR ") || line.contains("Uncaught") || line.contains("already complete")
                            || line.matches("^(io|java|org)\\.[\\w.$]+(Exception|Error).*")) {
                        bad.add(line);
                    }
                }
                assertEquals(List.of(), bad, "the service log " + log + " has errors");
            }
        } finally {
            if (service != null) {
                service.destroy();
                service.waitFor();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (dataDir != null) {
                try (Stream<Path> files = Files.walk(dataDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void aFitAndASearchRideOutADatabaseRestart() throws Exception {
        String dataset = uploadCsv("adult.csv");
        String first = submit("/api/training/jobs", dataset, "{\"n_trees\":3,\"max_depth\":3}");
        assertEquals(1, awaitEnd("/api/training/jobs/" + first).get("version"));
        // A fit of 20 s or more, and a search whose trials end while the database is down.
        String training = submit("/api/training/jobs", dataset, "{\"n_trees\":80}");
        String tuning = submitTuning(dataset);
        double before = awaitProgress("/api/training/jobs/" + training, 0.05);
        awaitProgress("/api/tuning/jobs/" + tuning, -1);
        // A fit of a few seconds, which ends while the database is down: its end is written when it is back.
        String quick = submit("/api/training/jobs", dataset, "{\"n_trees\":10}");
        awaitProgress("/api/training/jobs/" + quick, -1);
        long datasets = count("SELECT count(*) FROM dataset");

        stopPostgres();
        long downAt = System.nanoTime();
        // Requests meanwhile: 503 problem+json with Retry-After, nothing written.
        assertUnavailable(uploadResponse("iris.csv"));
        assertUnavailable(postJson("/api/training/jobs", trainingBody(dataset, "{}")));
        assertUnavailable(postJson("/api/deployments/deploy", "{\"job_id\":\"" + first + "\"}"));
        assertUnavailable(get("/api/training/jobs/" + training));
        // Down for the outage, and until the quick fit has ended and its end could not be written.
        awaitLog("Could not write the end of job " + quick, Duration.ofSeconds(120));
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - downAt) / 1_000_000));
        startPostgres();

        // The fit goes on and its progress is written again, past where it was.
        double after = awaitProgress("/api/training/jobs/" + training, before + 0.05);
        assertTrue(after > before, after + " > " + before);
        Map<?, ?> trained = awaitEnd("/api/training/jobs/" + training);
        Map<?, ?> tuned = awaitEnd("/api/tuning/jobs/" + tuning);
        Map<?, ?> quickly = awaitEnd("/api/training/jobs/" + quick);
        for (Map<?, ?> job : List.of(trained, tuned, quickly)) {
            assertEquals("COMPLETED", job.get("status"), String.valueOf(job.get("error")));
        }
        assertTrue(Files.readString(log).contains("Could write the end of job " + quick + " after"),
                "the end of " + quick + " was not retried: it did not end during the outage");
        // The next versions of the pair, one each, in the order the jobs ended; the counter took exactly three.
        assertEquals(Set.of(2, 3, 4), new TreeSet<>(List.of((Integer) trained.get("version"), (Integer) tuned.get("version"),
                (Integer) quickly.get("version"))));
        assertEquals(4, count("SELECT last_version FROM model_version_counter WHERE dataset_id = '" + dataset
                + "' AND model_type = 'RandomForest'"));
        assertEquals(4, count("SELECT count(*) FROM model_artifact a JOIN (SELECT artifact_id FROM training_job WHERE dataset_id = '"
                + dataset + "' UNION ALL SELECT artifact_id FROM tuning_job WHERE dataset_id = '" + dataset + "') j"
                + " ON j.artifact_id = a.id"));
        // Every trial of the search is stored, those that ended during the outage too.
        assertEquals(4, ((List<?>) tuned.get("trials")).size(), String.valueOf(tuned.get("trials")));
        assertEquals(datasets, count("SELECT count(*) FROM dataset"));

        // Everything works again without a restart of the service.
        String iris = uploadCsv("iris.csv");
        var again = postJson("/api/training/jobs", "{\"dataset_id\":\"" + iris
                + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        assertEquals(202, again.statusCode(), again.body());
        assertEquals("COMPLETED", awaitEnd("/api/training/jobs/" + json(again).get("id")).get("status"));
        var deployed = postJson("/api/deployments/deploy", "{\"job_id\":\"" + training + "\"}");
        assertEquals(201, deployed.statusCode(), deployed.body());
        var predicted = postJson("/api/deployments/predict", "[{\"age\":39,\"workclass\":\"State-gov\",\"fnlwgt\":77516,"
                + "\"education\":\"Bachelors\",\"education-num\":13,\"marital-status\":\"Never-married\","
                + "\"occupation\":\"Adm-clerical\",\"relationship\":\"Not-in-family\",\"race\":\"White\",\"sex\":\"Male\","
                + "\"capital-gain\":2174,\"capital-loss\":0,\"hours-per-week\":40,\"native-country\":\"United-States\"}]");
        assertEquals(200, predicted.statusCode(), predicted.body());
    }

    @Test
    void aJobWhoseReplicaDiedDuringTheOutageIsFailedWithWhatIsKnown() throws Exception {
        String dataset = uploadCsv("iris.csv");
        String ghost = "trn_ghost" + System.nanoTime();
        Instant lastBeat;
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns,
                    hyperparameters, preprocessing, test_size, random_seed, status, progress, claimed_by,
                    heartbeat_at, created_at, started_at)
                VALUES (?, ?, 'DecisionTree', 'classification', 'species', '{petal_length}', '{}', '{}', 0.2, 42,
                    'RUNNING', 0.3, 'replica-ghost', date_trunc('second', now()), now(), now())
                RETURNING heartbeat_at""")) {
            s.setString(1, ghost);
            s.setString(2, dataset);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                lastBeat = rs.getTimestamp(1).toInstant();
            }
        }
        // The replica running it "dies" with the database down: it never writes a heartbeat again.
        stopPostgres();
        Thread.sleep(OUTAGE.toMillis());
        startPostgres();
        long backAt = System.currentTimeMillis();

        Map<?, ?> failed = awaitEnd("/api/training/jobs/" + ghost);
        assertEquals("FAILED", failed.get("status"));
        String since = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC).format(lastBeat);
        assertTrue(String.valueOf(failed.get("error")).startsWith("No heartbeat from replica replica-ghost since " + since),
                String.valueOf(failed.get("error")));
        // Not at once although its heartbeat was older than the timeout when the database came back:
        // only once this replica had been connected for the whole timeout.
        long failedAt = count("SELECT (extract(epoch FROM completed_at) * 1000)::bigint FROM training_job WHERE id = '" + ghost + "'");
        assertTrue(failedAt - backAt >= HEARTBEAT_TIMEOUT.toMillis() - 500,
                "failed " + (failedAt - backAt) + " ms after the database came back");
    }

    // --- the database

    private static synchronized void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    private static synchronized void stopPostgres() throws IOException {
        if (firstOutageNanos == 0) {
            firstOutageNanos = System.nanoTime();
        }
        postgres.close();
    }

    private static Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "postgres");
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = jdbc(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- HTTP

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private static HttpResponse<String> postJson(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Map<?, ?> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), Map.class);
    }

    private static HttpResponse<String> uploadResponse(String sample) throws Exception {
        String boundary = "----outage" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + sample + "\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes());
        body.write(Files.readAllBytes(Path.of("samples", sample)));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes());
        return send(HttpRequest.newBuilder(URI.create(base + "/api/datasets"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private static String uploadCsv(String sample) throws Exception {
        var response = uploadResponse(sample);
        assertEquals(201, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    private static String trainingBody(String dataset, String hyperparameters) {
        return "{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\",\"target_column\":\"income\","
                + "\"hyperparameters\":" + hyperparameters + "}";
    }

    private static String submit(String path, String dataset, String hyperparameters) throws Exception {
        var response = postJson(path, trainingBody(dataset, hyperparameters));
        assertEquals(202, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    private static String submitTuning(String dataset) throws Exception {
        var response = postJson("/api/tuning/jobs", "{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\","
                + "\"target_column\":\"income\",\"cv_folds\":3,"
                + "\"search_space\":{\"n_trees\":[4,8],\"max_depth\":[4,8]}}");
        assertEquals(202, response.statusCode(), response.body());
        return (String) json(response).get("id");
    }

    private static void assertUnavailable(HttpResponse<String> response) throws IOException {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(""), response.headers().map().toString());
        Map<?, ?> problem = json(response);
        assertEquals(503, problem.get("status"));
        assertTrue(String.valueOf(problem.get("detail")).contains("database"), response.body());
    }

    /** Waits until the job is RUNNING with progress above {@code above}; returns that progress. */
    private static double awaitProgress(String path, double above) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Map<?, ?> job = json(get(path));
            double progress = ((Number) job.get("progress")).doubleValue();
            assertTrue(!List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.get("status")),
                    path + " ended before its progress passed " + above + ": " + job);
            if ("RUNNING".equals(job.get("status")) && progress > above) {
                return progress;
            }
            assertTrue(System.nanoTime() < deadline, path + " stayed at " + progress);
            Thread.sleep(100);
        }
    }

    private static void awaitLog(String text, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!Files.readString(log).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "the service did not log '" + text + "' within " + max);
            Thread.sleep(100);
        }
    }

    private static Map<?, ?> awaitEnd(String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            var response = get(path);
            if (response.statusCode() == 200) {
                Map<?, ?> job = json(response);
                if (List.of("COMPLETED", "FAILED", "CANCELLED").contains(job.get("status"))) {
                    return job;
                }
            }
            assertTrue(System.nanoTime() < deadline, path + " did not end: " + response.body());
            Thread.sleep(200);
        }
    }
}
