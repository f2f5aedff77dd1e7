package dev.mlpipeline.common;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Arc;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.LateBoundSpanProcessor;
import io.quarkus.opentelemetry.runtime.exporter.otlp.tracing.RemoveableLateBoundSpanProcessor;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static dev.mlpipeline.common.TelemetryFixtures.IRIS_ROWS;
import static dev.mlpipeline.common.TelemetryFixtures.completed;
import static dev.mlpipeline.common.TelemetryFixtures.traceparent;
import static dev.mlpipeline.common.TelemetryFixtures.trainIrisTree;
import static dev.mlpipeline.common.TelemetryFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing: the caller's {@code traceparent} is continued by the request's span, and the service's own
 * spans (deploy, model load, predict, job phases) join the trace; trace ids reach the log MDC; and no
 * span leaves the process while no OTLP endpoint is configured.
 */
@QuarkusTest
class TracingTest {

    @Inject
    CapturedSpans spans;

    @Inject
    @Any
    Instance<SpanExporter> exporters;

    @AfterEach
    void undeploy() {
        given().delete("/api/deployments/active");
    }

    @Test
    void deployAndPredictContinueTheCallersTrace() {
        String job = trainIrisTree(upload("iris.csv"));

        String[] deployTrace = traceparent();
        List<ExtLogRecord> logged;
        try (dev.mlpipeline.LogCapture capture = dev.mlpipeline.LogCapture.start()) {
            logged = capture.records();
            given().header("traceparent", deployTrace[0]).contentType(ContentType.JSON).body("{\"job_id\":\"" + job + "\"}")
                    .post("/api/deployments/deploy").then().statusCode(201);
        }
        SpanData server = awaitSpan(deployTrace[1], "POST /api/deployments/deploy");
        assertEquals(SpanKind.SERVER, server.getKind());
        assertEquals(deployTrace[2], server.getParentSpanId(), "the request's span is a child of the caller's");
        SpanData deploy = span(deployTrace[1], "deploy");
        assertEquals(server.getSpanId(), deploy.getParentSpanId());
        assertEquals(job, deploy.getAttributes().get(AttributeKey.stringKey("mlpipeline.job.id")));
        SpanData load = span(deployTrace[1], "load_model");
        assertEquals(deploy.getSpanId(), load.getParentSpanId(), "the model load is part of the deploy");

        // Log lines written for the request carry its trace id (JSON logs put the MDC under "mdc").
        ExtLogRecord warmed = logged.stream().filter(r -> r.getFormattedMessage().startsWith("Warmed the model of " + job))
                .findFirst().orElseThrow(() -> new AssertionError("no 'Warmed the model' line"));
        assertEquals(deployTrace[1], warmed.getMdc("traceId"));

        String[] predictTrace = traceparent();
        given().header("traceparent", predictTrace[0]).contentType(ContentType.JSON).body(IRIS_ROWS)
                .post("/api/deployments/predict").then().statusCode(200);
        SpanData predictServer = awaitSpan(predictTrace[1], "POST /api/deployments/predict");
        assertEquals(predictTrace[2], predictServer.getParentSpanId());
        SpanData predict = span(predictTrace[1], "predict");
        assertEquals(predictServer.getSpanId(), predict.getParentSpanId());
        assertEquals("DecisionTree", predict.getAttributes().get(AttributeKey.stringKey("mlpipeline.model.type")));
        assertEquals(1L, predict.getAttributes().get(AttributeKey.longKey("mlpipeline.model.version")));
        assertEquals(2L, predict.getAttributes().get(AttributeKey.longKey("mlpipeline.rows")));
        assertEquals("success", predict.getAttributes().get(AttributeKey.stringKey("mlpipeline.outcome")));

        // A row that does not fit the model: the span says so, without marking a server error.
        String[] badTrace = traceparent();
        given().header("traceparent", badTrace[0]).contentType(ContentType.JSON).body("[{\"sepal_length\":\"long\"}]")
                .post("/api/deployments/predict").then().statusCode(400);
        awaitSpan(badTrace[1], "POST /api/deployments/predict");
        SpanData rejected = span(badTrace[1], "predict");
        assertEquals("invalid_input", rejected.getAttributes().get(AttributeKey.stringKey("mlpipeline.outcome")));
        assertFalse(rejected.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR);
    }

    @Test
    void aTrainingJobHasASpanPerPhase() {
        String ds = upload("iris.csv");
        String job = trainIrisTree(ds);
        SpanData root = awaitJobSpan(job);
        assertEquals("training_job", root.getName());
        assertEquals("training", root.getAttributes().get(AttributeKey.stringKey("mlpipeline.job.kind")));
        assertEquals("DecisionTree", root.getAttributes().get(AttributeKey.stringKey("mlpipeline.model.type")));
        assertEquals("completed", root.getAttributes().get(AttributeKey.stringKey("mlpipeline.outcome")));
        List<SpanData> children = spans.ofTrace(root.getTraceId()).stream()
                .filter(s -> root.getSpanId().equals(s.getParentSpanId())).toList();
        assertEquals(List.of("load_data", "fit", "evaluate", "store"), children.stream().map(SpanData::getName).toList(),
                "phases in order");
        for (int i = 1; i < children.size(); i++) {
            assertTrue(children.get(i).getStartEpochNanos() >= children.get(i - 1).getEndEpochNanos(), "phases follow each other");
        }
    }

    @Test
    void aTuningJobHasASpanPerTrial() {
        String ds = upload("iris.csv");
        String job = completed("/api/tuning/jobs", "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\","
                + "\"target_column\":\"species\",\"strategy\":\"grid\",\"cv_folds\":3,\"search_space\":{\"max_depth\":[1,4,8]}}");
        SpanData root = awaitJobSpan(job);
        assertEquals("tuning_job", root.getName());
        List<SpanData> trace = spans.ofTrace(root.getTraceId());
        List<SpanData> phases = trace.stream().filter(s -> root.getSpanId().equals(s.getParentSpanId())).toList();
        assertEquals(List.of("load_data", "search", "fit", "evaluate", "store"), phases.stream().map(SpanData::getName).toList());
        SpanData search = phases.get(1);
        List<SpanData> trials = trace.stream().filter(s -> s.getName().equals("trial")).toList();
        assertEquals(3, trials.size());
        assertTrue(trials.stream().allMatch(t -> search.getSpanId().equals(t.getParentSpanId())), "trials are part of the search");
        assertEquals(List.of(0L, 1L, 2L), trials.stream().map(t -> t.getAttributes().get(AttributeKey.longKey("mlpipeline.trial.index")))
                .sorted().toList());
    }

    @Test
    void nothingIsExportedWithoutAnEndpoint() {
        // No OTLP endpoint in the test configuration: the application's no-op exporter is there, and so
        // Quarkus replaced its OTLP span processor with the removable placeholder.
        assertFalse(exporters.isUnsatisfied());
        assertInstanceOf(RemoveableLateBoundSpanProcessor.class, Arc.container().select(LateBoundSpanProcessor.class).get());
    }

    private SpanData awaitJobSpan(String jobId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.withAttribute("mlpipeline.job.id", jobId).stream()
                .anyMatch(s -> s.getName().endsWith("_job")));
        return spans.withAttribute("mlpipeline.job.id", jobId).stream().filter(s -> s.getName().endsWith("_job")).findFirst().orElseThrow();
    }

    private SpanData awaitSpan(String traceId, String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> spans.ofTrace(traceId).stream().anyMatch(s -> s.getName().equals(name)));
        return span(traceId, name);
    }

    private SpanData span(String traceId, String name) {
        List<SpanData> found = spans.ofTrace(traceId).stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> "one '" + name + "' span in the trace; spans: "
                + spans.ofTrace(traceId).stream().map(SpanData::getName).toList());
        return found.getFirst();
    }
}
