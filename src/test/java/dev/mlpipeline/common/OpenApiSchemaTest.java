package dev.mlpipeline.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.util.NameTransformer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document describes the wire: every object schema has exactly the properties that the
 * application's own ObjectMapper writes (and, for request bodies, reads) for its Java type, and the
 * parameters, enums, headers and examples a generated client depends on are typed and present.
 */
@QuarkusTest
class OpenApiSchemaTest {

    @Inject
    ObjectMapper mapper;

    JsonPath doc;

    @BeforeEach
    void loadDocument() {
        doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everySchemaPropertyIsWhatJacksonWritesForItsType() throws IOException {
        Map<String, Map<String, Object>> schemas = doc.getMap("components.schemas");
        Map<String, List<Class<?>>> types = schemaTypes();
        Set<String> requestSchemas = requestBodySchemas();
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (var schema : schemas.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) schema.getValue().get("properties");
            if (properties == null) {
                continue; // enums, Instant, documentation-only maps
            }
            List<Class<?>> candidates = types.getOrDefault(schema.getKey(), List.of());
            assertEquals(1, candidates.size(), "Java type of schema " + schema.getKey() + ": " + candidates);
            Class<?> type = candidates.get(0);
            Set<String> documented = new TreeSet<>(properties.keySet());
            Set<String> written = new TreeSet<>(serializedNames(type));
            if (!documented.equals(written)) {
                mismatches.add(schema.getKey() + " (" + type.getName() + "): document " + documented + ", Jackson writes " + written);
            }
            if (requestSchemas.contains(schema.getKey())) {
                Set<String> read = new TreeSet<>(deserializedNames(type));
                if (!documented.equals(read)) {
                    mismatches.add(schema.getKey() + " (" + type.getName() + "): document " + documented + ", Jackson reads " + read);
                }
            }
            compared++;
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertTrue(compared >= 25, "object schemas compared: " + compared);
        assertTrue(requestSchemas.containsAll(Set.of("CreateTrainingJobRequest", "CreateTuningJobRequest", "DeployRequest")),
                "request body schemas: " + requestSchemas);
    }

    @Test
    void parametersEnumsAndHeadersAreTyped() {
        for (String path : List.of("/api/training/jobs", "/api/tuning/jobs")) {
            Map<String, Object> limit = parameter(path, "get", "limit");
            assertEquals("integer", limit.get("type"), "limit of " + path);
            assertEquals(1, limit.get("minimum"));
            assertEquals(1000, limit.get("maximum"));
            assertEquals("#/components/schemas/JobStatus", parameter(path, "get", "status").get("$ref"), "status of " + path);
        }
        assertEquals("integer", parameter("/api/deployments", "get", "limit").get("type"));
        assertEquals("integer", parameter("/api/registry/models", "get", "limit").get("type"));
        assertEquals(List.of("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"), doc.getList("components.schemas.JobStatus.enum"));
        assertEquals("string", doc.getString("components.schemas.JobStatus.type"));
        for (Map<String, Object> param : List.of(parameter("/api/registry/models", "get", "source"),
                parameter("/api/registry/next-version", "get", "job_type"))) {
            assertEquals("string", param.get("type"));
            assertEquals(List.of("training", "tuning"), param.get("enum"));
        }
        assertEquals("#/components/schemas/JobStatus", doc.getString("components.schemas.TrainingJob.properties.status.$ref"));

        // every 201 and 202 names what it created in Location
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        int created = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.getValue().get("responses");
                for (String status : List.of("201", "202")) {
                    if (responses.containsKey(status)) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> headers = (Map<String, Object>) responses.get(status).get("headers");
                        assertTrue(headers != null && headers.containsKey("Location"), "Location on " + status + " of " + op.getKey() + " " + path.getKey());
                        created++;
                    }
                }
            }
        }
        assertEquals(7, created, "201/202 responses: upload, train, tune, deploy, batch prediction, rollback, createToken");
        assertFalse(doc.getList("servers").isEmpty(), "servers");
    }

    @Test
    void bodiesAreTypedAsSent() {
        String upload = "paths.'/api/datasets'.post.requestBody.content.'multipart/form-data'";
        assertEquals(List.of("file"), doc.getList(upload + ".schema.required"));
        assertEquals("binary", doc.getString(upload + ".schema.properties.file.format"));
        assertEquals("titanic", doc.getString(upload + ".examples.titanic.value.name"), "the multipart example is an object");

        String predict = "paths.'/api/deployments/predict'.post.requestBody.content.'application/json'.schema";
        assertEquals("array", doc.getString(predict + ".type"));
        String row = doc.getString(predict + ".items.$ref").replace("#/components/schemas/", "");
        assertEquals("object", doc.getString("components.schemas." + row + ".type"));
        assertEquals(Boolean.TRUE, doc.get("components.schemas." + row + ".additionalProperties"));

        for (String metrics : List.of("TrainingJob.properties.metrics", "ModelVersion.properties.metrics",
                "ModelVersionLineage.properties.metrics")) {
            Object type = doc.get("components.schemas." + metrics + ".type"); // ["object", "null"] where nullable
            assertTrue(type.toString().contains("object"), metrics + ": " + type);
            assertEquals("number", doc.getString("components.schemas." + metrics + ".additionalProperties.type"), metrics);
        }
    }

    @Test
    void uploadTrainTuneDeployAndPredictHaveRequestAndResponseExamples() {
        Map<String, String> operations = Map.of(
                "paths.'/api/datasets'.post", "201",
                "paths.'/api/training/jobs'.post", "202",
                "paths.'/api/tuning/jobs'.post", "202",
                "paths.'/api/deployments/deploy'.post", "201",
                "paths.'/api/deployments/predict'.post", "200");
        for (var op : operations.entrySet()) {
            Map<String, Map<String, Object>> request = doc.getMap(op.getKey() + ".requestBody.content");
            assertTrue(request.values().stream().allMatch(media -> media.get("examples") != null), "request example of " + op.getKey());
            Map<String, Map<String, Object>> response = doc.getMap(op.getKey() + ".responses.'" + op.getValue() + "'.content");
            assertTrue(response.values().stream().allMatch(media -> media.get("examples") != null), "response example of " + op.getKey());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parameter(String path, String method, String name) {
        List<Map<String, Object>> parameters = doc.getList("paths.'" + path + "'." + method + ".parameters");
        Map<String, Object> parameter = parameters.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " on " + method + " " + path));
        return (Map<String, Object>) parameter.get("schema");
    }

    /** Schemas sent as request bodies: their names must also be the names Jackson reads. */
    private Set<String> requestBodySchemas() {
        Set<String> names = new LinkedHashSet<>();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        for (var path : paths.values()) {
            for (var op : path.values()) {
                String body = String.valueOf(op.get("requestBody"));
                var matcher = java.util.regex.Pattern.compile("#/components/schemas/(\\w+)").matcher(body);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /**
     * The application's classes by the schema name SmallRye gives them: {@code @Schema(name)} when
     * set, else the simple class name.
     */
    private static Map<String, List<Class<?>>> schemaTypes() throws IOException {
        Path classes = Path.of("target", "classes");
        Map<String, List<Class<?>>> types = new HashMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (Stream<Path> files = Files.walk(classes.resolve("dev"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                Schema schema = type.getAnnotation(Schema.class);
                String schemaName = schema != null && !schema.name().isEmpty() ? schema.name() : type.getSimpleName();
                if (!schemaName.isEmpty()) {
                    types.computeIfAbsent(schemaName, k -> new ArrayList<>()).add(type);
                }
            }
        }
        // a class named like another's explicit schema name is not a candidate for it
        types.replaceAll((schemaName, list) -> list.size() > 1
                ? list.stream().filter(t -> t.getAnnotation(Schema.class) != null && schemaName.equals(t.getAnnotation(Schema.class).name())).toList()
                : list);
        return types;
    }

    /** What Jackson writes for the type, with {@code @JsonUnwrapped} properties flattened as it writes them. */
    private Set<String> serializedNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
        for (BeanPropertyDefinition property : description.findProperties()) {
            if (!property.couldSerialize()) {
                continue;
            }
            NameTransformer unwrapped = mapper.getSerializationConfig().getAnnotationIntrospector()
                    .findUnwrappingNameTransformer(property.getAccessor());
            if (unwrapped != null) {
                serializedNames(property.getRawPrimaryType()).forEach(n -> names.add(unwrapped.transform(n)));
            } else {
                names.add(property.getName());
            }
        }
        assertNotNull(names);
        return names;
    }

    private Set<String> deserializedNames(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
        for (BeanPropertyDefinition property : description.findProperties()) {
            if (property.couldDeserialize()) {
                names.add(property.getName());
            }
        }
        if (names.isEmpty()) {
            fail("Jackson reads no properties of " + type);
        }
        return names;
    }
}
