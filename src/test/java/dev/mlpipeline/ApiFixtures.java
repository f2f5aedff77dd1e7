package dev.mlpipeline;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.mlpipeline.common.Ids;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the HTTP tests do over and over, in one place: upload a dataset, submit a training or
 * tuning job, wait for a job to reach a status, undeploy, and write the row of a job whose replica
 * died. Everything goes through the API except {@link #insertRunningJob}, which writes the row a
 * crashed replica leaves behind (no request can produce it).
 *
 * <p>Works in {@code @QuarkusTest}s and in the {@code *IT}s that rerun them on the packaged jar.
 */
public final class ApiFixtures {

    /** How long a test waits for a job to reach a status: generous, as the two cores are shared. */
    public static final Duration JOB_DEADLINE = Duration.ofSeconds(180);
    /** How often a waiting test polls; jobs report progress every 200 ms in tests. */
    public static final Duration POLL = Duration.ofMillis(50);

    private ApiFixtures() {
    }

    /** Uploads {@code samples/<file>} and returns the dataset id; fails unless the answer is 201. */
    public static String upload(String sample) {
        return given().multiPart("file", new File("samples/" + sample), "text/csv").post("/api/datasets")
                .then().statusCode(201).extract().path("id");
    }

    /** Uploads {@code csv} (UTF-8) as a file named {@code filename} and returns the dataset id; fails unless 201. */
    public static String uploadCsv(String filename, String csv) {
        return upload(filename, csv.getBytes(StandardCharsets.UTF_8)).statusCode(201).extract().path("id");
    }

    /** Uploads raw bytes as a file named {@code filename}; the caller checks the answer. */
    public static ValidatableResponse upload(String filename, byte[] content) {
        return given().multiPart("file", filename, content, "text/csv").post("/api/datasets").then();
    }

    /** Submits a training job (a JSON body); returns its id; fails unless 202. */
    public static String submitTraining(String body) {
        return submit("/api/training/jobs", body);
    }

    /** Submits a tuning job (a JSON body); returns its id; fails unless 202. */
    public static String submitTuning(String body) {
        return submit("/api/tuning/jobs", body);
    }

    private static String submit(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(202).extract().path("id");
    }

    /** {@code /api/training/jobs/<id>} or {@code /api/tuning/jobs/<id>}, by the id's prefix. */
    public static String jobPath(String jobId) {
        return (jobId.startsWith("tun_") ? "/api/tuning/jobs/" : "/api/training/jobs/") + jobId;
    }

    /** The job as the API shows it now. */
    public static JsonPath job(String jobId) {
        return given().get(jobPath(jobId)).then().statusCode(200).extract().jsonPath();
    }

    /**
     * Polls a training or tuning job until its status is one of {@code statuses}, within
     * {@link #JOB_DEADLINE}; returns the job as last read.
     */
    public static JsonPath awaitStatus(String jobId, String... statuses) {
        List<String> wanted = List.of(statuses);
        JsonPath[] last = new JsonPath[1];
        await("job " + jobId + " in " + wanted).atMost(JOB_DEADLINE).pollInterval(POLL).until(() -> {
            last[0] = job(jobId);
            return wanted.contains(last[0].getString("status"));
        });
        return last[0];
    }

    /** Waits until the job has finished and fails, with its error, unless it COMPLETED. */
    public static JsonPath awaitCompleted(String jobId) {
        JsonPath done = awaitStatus(jobId, "COMPLETED", "FAILED", "CANCELLED");
        assertEquals("COMPLETED", done.getString("status"), () -> "job " + jobId + ": " + done.getString("error"));
        return done;
    }

    /** Submits a training job and waits for it to complete; returns its id. */
    public static String train(String body) {
        String id = submitTraining(body);
        awaitCompleted(id);
        return id;
    }

    /** Deploys the version of a completed job; fails unless the answer has {@code status} (201 new, 200 already active). */
    public static JsonPath deploy(String jobId, int status) {
        return given().contentType(ContentType.JSON).body("{\"job_id\":\"" + jobId + "\"}").post("/api/deployments/deploy")
                .then().statusCode(status).extract().jsonPath();
    }

    /** Ends the active deployment, if there is one, so the next test starts with none (and a ready replica). */
    public static void undeploy() {
        given().delete("/api/deployments/active").then().statusCode(anyOf(equalTo(204), equalTo(404)));
    }

    /**
     * Writes a RUNNING training job claimed by {@code claimedBy}, whose last heartbeat was
     * {@code heartbeatAge} ago, as a replica leaves it when it crashes or is stopped mid-fit.
     *
     * @param features feature columns of the dataset (none of them the target)
     * @return the job id
     */
    public static String insertRunningJob(String datasetId, String modelType, String target, List<String> features,
            String claimedBy, Duration heartbeatAge) {
        String id = Ids.next("trn");
        TestDatabase.update("""
                INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns,
                    hyperparameters, preprocessing, test_size, random_seed, status, progress, claimed_by,
                    heartbeat_at, created_at, started_at)
                VALUES (?, ?, ?, 'classification', ?, CAST(? AS text[]), '{}', '{}', 0.2, 42, 'RUNNING', 0.4, ?,
                    now() - make_interval(secs => ?), now() - make_interval(secs => ?) - interval '1 minute',
                    now() - make_interval(secs => ?) - interval '1 minute')""",
                id, datasetId, modelType, target, "{" + String.join(",", features) + "}", claimedBy,
                (double) heartbeatAge.toSeconds(), (double) heartbeatAge.toSeconds(), (double) heartbeatAge.toSeconds());
        return id;
    }
}
