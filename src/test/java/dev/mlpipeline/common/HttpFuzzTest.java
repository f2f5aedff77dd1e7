package dev.mlpipeline.common;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fuzz kind of issue 11: no request can produce a 5xx. Every operation of {@code /q/openapi} gets NUL
 * characters, overlong values and malformed or non-UTF-8 percent-encodings in its path parameters and query
 * parameters, and every operation with a body gets NUL characters in each of its fields; each answer must be
 * a 4xx in application/problem+json. Requests are written on a raw socket, since HTTP clients refuse to send
 * malformed URIs.
 *
 * <p>The Open Inference Protocol's paths ({@code /v2/...}) are held to the same rule, a 4xx and never a 5xx,
 * but in the protocol's own error shape, {@code application/json} {@code {"error": "..."}}: KServe clients
 * read that object, and the protocol defines no other ({@code ProblemMapper#isInferenceProtocol}).
 */
@QuarkusTest
class HttpFuzzTest {

    @TestHTTPResource("/")
    URL root;

    /** A raw HTTP/1.1 exchange: status, headers (lower-case names), body. */
    record Raw(int status, Map<String, String> headers, String body) {
    }

    private Raw send(String method, String target, String contentType, byte[] body) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(root.getHost()).append(':').append(root.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static Raw parse(byte[] response) throws IOException {
        String text = new String(response, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            fail("no complete response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Raw(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
    }

    private static void assertProblem(Raw r, String what) {
        assertTrue(r.status() >= 400 && r.status() < 500, what + " answered " + r.status() + ": " + r.body());
        if (what.matches("^(GET|POST|PUT|PATCH|DELETE )?\\s*/v2/.*") || what.startsWith("/v2/")) {
            assertTrue(String.valueOf(r.headers().get("content-type")).startsWith("application/json"),
                    what + " answered " + r.status() + " as " + r.headers().get("content-type") + ": " + r.body());
            String error = JsonPath.from(r.body()).getString("error");
            assertTrue(error != null && !error.isBlank(), what + ": " + r.body());
            return;
        }
        assertTrue(String.valueOf(r.headers().get("content-type")).startsWith("application/problem+json"),
                what + " answered " + r.status() + " as " + r.headers().get("content-type") + " " + r.headers() + ": " + r.body());
        JsonPath problem = JsonPath.from(r.body());
        assertEquals(r.status(), problem.getInt("status"), what);
        assertTrue(problem.getString("detail") != null && !problem.getString("detail").isBlank(), what);
    }

    /** One operation of the OpenAPI document. */
    record Operation(String method, String path, List<String> queryParameters, Map<String, Object> requestBody) {
    }

    @SuppressWarnings("unchecked")
    private List<Operation> operations() {
        JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        List<Operation> ops = new ArrayList<>();
        paths.forEach((path, item) -> item.forEach((method, spec) -> {
            if (!List.of("get", "post", "put", "patch", "delete").contains(method)) {
                return;
            }
            Map<String, Object> op = (Map<String, Object>) spec;
            List<String> query = new ArrayList<>();
            for (Object p : (List<Object>) op.getOrDefault("parameters", List.of())) {
                Map<String, Object> parameter = (Map<String, Object>) p;
                if ("query".equals(parameter.get("in"))) {
                    query.add((String) parameter.get("name"));
                }
            }
            ops.add(new Operation(method.toUpperCase(Locale.ROOT), path, query,
                    (Map<String, Object>) op.get("requestBody")));
        }));
        assertTrue(ops.size() >= 20, "the API has its operations: " + ops.size());
        return ops;
    }

    private static final List<String> BAD_SEGMENTS = List.of("%00", "ds_%00x", "%zz", "abc%", "%C3%28", "%E2%82",
            "x".repeat(5000));

    @Test
    void badPathParametersAreProblems() throws IOException {
        int sent = 0;
        for (Operation op : operations()) {
            if (!op.path().contains("{")) {
                continue;
            }
            for (String bad : BAD_SEGMENTS) {
                String target = op.path().replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(bad));
                Raw r = send(op.method(), target, null, null);
                assertProblem(r, op.method() + " " + op.path() + " with " + abbreviate(bad));
                if (bad.contains("%00")) {
                    assertEquals(400, r.status(), target);
                    assertTrue(r.body().contains("NUL"), r.body());
                }
                if (bad.length() > 4096) {
                    assertEquals(414, r.status(), op.path());
                }
                sent++;
            }
        }
        assertTrue(sent > 50, "requests sent: " + sent);
    }

    @Test
    void badQueryParametersAreProblems() throws IOException {
        for (Operation op : operations()) {
            String path = op.path().replaceAll("\\{[^}]+}", "none");
            List<String> names = new ArrayList<>(op.queryParameters());
            names.add("unknown");
            for (String name : names) {
                for (String bad : List.of("%00", "a%00", "%zz", "%", "%FF%FE")) {
                    Raw r = send(op.method(), path + "?" + name + "=" + bad, null, null);
                    assertProblem(r, op.method() + " " + path + "?" + name + "=" + bad);
                    assertEquals(400, r.status());
                    if (!path.startsWith("/v2/")) {
                        assertEquals(name, JsonPath.from(r.body()).getString("errors[0].field"));
                    } else {
                        assertTrue(JsonPath.from(r.body()).getString("error").contains(name), r.body());
                    }
                }
            }
            assertProblem(send(op.method(), path + "?%zz=1", null, null), op.path() + " bad name");
            assertProblem(send(op.method(), path + "?q=" + "y".repeat(5000), null, null), op.path() + " long query");
        }
    }

    @Test
    void nulCharactersInJsonBodiesNameTheField() throws IOException {
        JsonPath doc = given().get("/q/openapi?format=json").then().extract().jsonPath();
        int sent = 0;
        for (Operation op : operations()) {
            if (op.requestBody() == null || op.path().contains("{")) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) op.requestBody().get("content");
            if (content == null || !content.containsKey("application/json")) {
                continue;
            }
            List<String> bodies = new ArrayList<>();
            String ref = doc.getString("paths.'" + op.path() + "'." + op.method().toLowerCase(Locale.ROOT)
                    + ".requestBody.content.'application/json'.schema.'$ref'");
            if (ref != null) {
                Map<String, Object> properties = doc.getMap("components.schemas." + ref.substring(ref.lastIndexOf('/') + 1)
                        + ".properties");
                for (String property : properties.keySet()) {
                    bodies.add("{\"" + property + "\":\"a\\u0000b\"}");
                }
            }
            bodies.add("[{\"a\\u0000\":1}]");
            bodies.add("[{\"x\":\"\\u0000\"}]");
            bodies.add("{\"\\u0000\":\"x\"}");
            for (String body : bodies) {
                Raw r = send(op.method(), op.path(), "application/json", body.getBytes(StandardCharsets.UTF_8));
                assertProblem(r, op.method() + " " + op.path() + " " + body);
                sent++;
            }
        }
        assertTrue(sent >= 10, "bodies sent: " + sent);
    }

    @Test
    void theIssuesCases() throws IOException {
        Raw training = send("POST", "/api/training/jobs", "application/json",
                "{\"dataset_id\":\"\\u0000\",\"model_type\":\"RandomForest\",\"target_column\":\"y\"}".getBytes(StandardCharsets.UTF_8));
        assertProblem(training, "training with a NUL dataset_id");
        assertEquals(400, training.status());
        assertEquals("dataset_id", JsonPath.from(training.body()).getString("errors[0].field"));

        Raw dataset = send("GET", "/api/datasets/%00", null, null);
        assertProblem(dataset, "GET /api/datasets/%00");
        assertEquals("path", JsonPath.from(dataset.body()).getString("errors[0].field"));

        Raw longPath = send("GET", "/api/datasets/" + "a".repeat(5000), null, null);
        assertProblem(longPath, "5,000-character path");
        assertEquals(414, longPath.status());

        Raw encoding = send("GET", "/api/datasets?limit=%zz", null, null);
        assertProblem(encoding, "malformed percent-encoding");
        assertEquals("limit", JsonPath.from(encoding.body()).getString("errors[0].field"));

        Raw predictNul = send("POST", "/api/deployments/predict", "application/json",
                "[{\"Sex\":\"ma\\u0000le\"}]".getBytes(StandardCharsets.UTF_8));
        assertProblem(predictNul, "predict with a NUL");
        assertEquals("[0].Sex", JsonPath.from(predictNul.body()).getString("errors[0].field"));

        Raw nan = send("POST", "/api/training/jobs", "application/json",
                "{\"dataset_id\":\"ds_x\",\"model_type\":\"Ridge\",\"target_column\":\"y\",\"test_size\":NaN}"
                        .getBytes(StandardCharsets.UTF_8));
        assertProblem(nan, "NaN in a training request");
        assertTrue(nan.body().contains("NaN and Infinity are not JSON numbers"), nan.body());
        assertTrue(!nan.body().contains("enable"), "no advice to enable server features: " + nan.body());
    }

    @Test
    void headersAndMultipartPartsAreChecked() throws IOException {
        Response big = given().header("X-Big", "h".repeat(30_000)).get("/api/datasets");
        assertEquals(431, big.statusCode());
        assertEquals("application/problem+json", big.contentType());

        given().multiPart("file", "a.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("name", "bad\u0000name").post("/api/datasets").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("name"));
        given().multiPart("file", "a.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("na_values", "[\"\\u0000\"]").post("/api/datasets").then()
                .statusCode(400).contentType("application/problem+json");
        given().multiPart("file", "a.csv", "a,b\n\u0000,2\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/api/datasets").then().statusCode(400).contentType("application/problem+json");
        given().multiPart("file", "a.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("column_types", "{\"a\":\"" + "x".repeat(3000) + "\"}").post("/api/datasets").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("column_types"));
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…(" + s.length() + ")" : s;
    }
}
