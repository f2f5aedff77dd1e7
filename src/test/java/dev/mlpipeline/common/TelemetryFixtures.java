package dev.mlpipeline.common;

import java.io.File;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Upload, train, deploy and read {@code /q/metrics}, for the tracing and metrics tests. */
public final class TelemetryFixtures {

    static final String IRIS_ROWS = "[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2},"
            + "{\"sepal_length\":6.7,\"sepal_width\":3.0,\"petal_length\":5.2,\"petal_width\":2.3}]";

    private TelemetryFixtures() {
    }

    static String upload(String sample) {
        return given().multiPart("file", new File("samples/" + sample), "text/csv").post("/api/datasets")
                .then().statusCode(201).extract().path("id");
    }

    /** Submits a job to {@code path} and waits until it is COMPLETED. */
    static String completed(String path, String body) {
        String id = given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of("COMPLETED", "FAILED", "CANCELLED").contains(given().get(path + "/" + id).then().extract().path("status")));
        assertEquals("COMPLETED", given().get(path + "/" + id).then().extract().path("status"),
                () -> given().get(path + "/" + id).then().extract().path("error"));
        return id;
    }

    static String trainIrisTree(String datasetId) {
        return completed("/api/training/jobs",
                "{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
    }

    /** A W3C trace context header with random ids: {@code [traceparent, traceId, parentSpanId]}. */
    static String[] traceparent() {
        HexFormat hex = HexFormat.of();
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        ThreadLocalRandom.current().nextBytes(trace);
        ThreadLocalRandom.current().nextBytes(span);
        String traceId = hex.formatHex(trace);
        String spanId = hex.formatHex(span);
        return new String[]{ "00-" + traceId + "-" + spanId + "-01", traceId, spanId };
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /**
     * The sum of the samples of {@code name} whose labels include {@code labels} (0 when there is none),
     * read from a Prometheus or OpenMetrics text exposition (exemplars after {@code #} are skipped).
     */
    public static double sample(String exposition, String name, Map<String, String> labels) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)( # .*)?$").matcher(exposition);
        while (m.find()) {
            String found = m.group(1);
            if (labels.entrySet().stream().allMatch(e -> found.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** Whether a sample of {@code name} with {@code labels} is exposed. */
    static boolean exposed(String exposition, String name, Map<String, String> labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ").matcher(exposition);
        while (m.find()) {
            String found = m.group(1);
            if (labels.entrySet().stream().allMatch(e -> found.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
                return true;
            }
        }
        return false;
    }
}
