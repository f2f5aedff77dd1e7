package dev.mlpipeline.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Open Inference Protocol over HTTP: the same answers as the seed's predict for the same rows,
 * the metadata of every feature, and the protocol's error shape (never problem+json) under /v2.
 */
@QuarkusTest
class InferenceResourceTest {

    @AfterEach
    void undeployWhatTheTestDeployed() {
        undeploy();
    }

    /** The first {@code n} rows of samples/titanic.csv, features only, numbers as numbers. */
    static List<Map<String, Object>> titanicRows(int n) throws java.io.IOException {
        List<String> lines = Files.readAllLines(Path.of("samples/titanic.csv"));
        String[] header = lines.getFirst().split(",");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, n + 1)) {
            String[] cells = line.split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int j = 0; j < header.length; j++) {
                if (!header[j].equals("Survived")) {
                    row.put(header[j], List.of("Sex", "Embarked").contains(header[j]) ? cells[j]
                            : cells[j].isEmpty() ? null : Double.valueOf(cells[j]));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    static Map<String, Object> tensors(List<Map<String, Object>> rows) {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (String feature : rows.getFirst().keySet()) {
            List<Object> data = rows.stream().map(r -> r.get(feature)).toList();
            boolean bytes = List.of("Sex", "Embarked").contains(feature);
            inputs.add(Map.of("name", feature, "shape", List.of(rows.size()), "datatype", bytes ? "BYTES" : "FP64", "data", data));
        }
        return Map.of("id", "req-1", "inputs", inputs);
    }

    @Test
    void inferAnswersAsPredictOnFiveTitanicRows() throws Exception {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":30}}");
        int version = deploy(job, 201).getInt("version");
        List<Map<String, Object>> rows = titanicRows(5);

        JsonPath predicted = given().contentType(ContentType.JSON).body(rows).post("/api/deployments/predict")
                .then().statusCode(200).extract().jsonPath();
        JsonPath inferred = given().contentType(ContentType.JSON).body(tensors(rows)).post("/v2/models/RandomForest/infer")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();

        assertEquals("RandomForest", inferred.getString("model_name"));
        assertEquals(String.valueOf(version), inferred.getString("model_version"));
        assertEquals("req-1", inferred.getString("id"));
        assertEquals("predict", inferred.getString("outputs[0].name"));
        assertEquals("INT64", inferred.getString("outputs[0].datatype"));
        assertEquals(List.of(5), inferred.getList("outputs[0].shape"));
        assertEquals(predicted.getList("predictions"), inferred.getList("outputs[0].data"));

        assertEquals("probabilities", inferred.getString("outputs[1].name"));
        assertEquals(List.of(5, 2), inferred.getList("outputs[1].shape"));
        List<String> labels = inferred.getList("outputs[1].parameters.class_labels");
        assertEquals(List.of("0", "1"), labels);
        List<Double> flat = inferred.getList("outputs[1].data", Double.class);
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < labels.size(); k++) {
                assertEquals(predicted.getDouble("probabilities[" + i + "].'" + labels.get(k) + "'"), flat.get(i * labels.size() + k),
                        0.0, "row " + i + " label " + labels.get(k));
            }
        }
        assertEquals(predicted.getList("missing_columns"), inferred.getList("parameters.missing_columns"));
        assertEquals(job, inferred.getString("parameters.job_id"));

        // The version path, and only the wanted output.
        given().contentType(ContentType.JSON).body(Map.of("inputs", tensors(rows).get("inputs"), "outputs", List.of(Map.of("name", "predict"))))
                .post("/v2/models/RandomForest/versions/" + version + "/infer").then().statusCode(200)
                .body("outputs.size()", equalTo(1)).body("outputs[0].data", equalTo(predicted.getList("predictions")));
    }

    @Test
    void metadataListsEveryFeatureWithItsDatatypeAndOtherModelsAre404s() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}");
        int version = deploy(job, 201).getInt("version");

        JsonPath meta = given().get("/v2/models/LogisticRegression").then().statusCode(200).extract().jsonPath();
        assertEquals("LogisticRegression", meta.getString("name"));
        assertEquals(List.of(String.valueOf(version)), meta.getList("versions"));
        Map<String, String> datatypes = new LinkedHashMap<>();
        for (int i = 0; i < meta.getList("inputs").size(); i++) {
            datatypes.put(meta.getString("inputs[" + i + "].name"), meta.getString("inputs[" + i + "].datatype"));
            assertEquals(List.of(-1), meta.getList("inputs[" + i + "].shape"));
        }
        assertEquals(Map.of("Pclass", "FP64", "Sex", "BYTES", "Age", "FP64", "SibSp", "FP64", "Parch", "FP64", "Fare", "FP64",
                "Embarked", "BYTES"), datatypes);
        assertEquals(List.of("predict", "probabilities"), meta.getList("outputs.name"));
        assertEquals(List.of(-1, 2), meta.getList("outputs[1].shape"));

        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/LogisticRegression/ready").then().statusCode(200).body("ready", equalTo(true))
                .body("name", equalTo("LogisticRegression"));

        // Another model or version: the protocol's 404, {"error": ...}, not problem+json.
        given().get("/v2/models/RandomForest").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("not served"));
        given().get("/v2/models/RandomForest/ready").then().statusCode(404).body("error", containsString("not served"));
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]}]}")
                .post("/v2/models/RandomForest/infer").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("RandomForest"));
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]}]}")
                .post("/v2/models/LogisticRegression/versions/" + (version + 100) + "/infer").then().statusCode(404)
                .body("error", containsString("Version"));
    }

    @Test
    void badTensorsAndPredictsValidationAreProtocolErrors() {
        String ds = upload("titanic.csv");
        deploy(train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}"), 201);
        String url = "/v2/models/LogisticRegression/infer";
        // data shorter than the shape
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[3]}]}")
                .post(url).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("inputs[0].data: holds 1 value(s) but the shape [2] says 2"));
        // inputs of different lengths
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]},"
                + "{\"name\":\"Fare\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[3, 4]}]}")
                .post(url).then().statusCode(400).body("error", containsString("every input holds one value per row"));
        // unknown datatype, a string in an FP64 tensor
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[3]}]}")
                .post(url).then().statusCode(400).body("error", containsString("datatype"));
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[\"x\"]}]}")
                .post(url).then().statusCode(400).body("error", containsString("inputs[0].data[0]"));
        // predict's own validation: a categorical sent for a numeric feature, a row with none of the features, strict
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"old\"]}]}")
                .post(url).then().statusCode(400).body("error", containsString("Age"));
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Name\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"Bob\"]}]}")
                .post(url).then().statusCode(400).body("error", containsString("none of the model's features"));
        given().contentType(ContentType.JSON)
                .body("{\"parameters\":{\"strict\":true},\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]}]}")
                .post(url).then().statusCode(400).body("error", containsString("strict"));
        // imputation as in predict: missing features are reported
        given().contentType(ContentType.JSON).body("{\"inputs\":[{\"name\":\"Age\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[3]}]}")
                .post(url).then().statusCode(200)
                .body("parameters.missing_columns[0]", equalTo(List.of("Pclass", "Sex", "SibSp", "Parch", "Fare", "Embarked")));
        // malformed JSON and unknown routes under /v2 keep the protocol's shape
        given().contentType(ContentType.JSON).body("{\"inputs\":").post(url).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("not valid JSON"));
        given().get("/v2/models/LogisticRegression/nothing").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("No resource"));
    }

    @Test
    void nothingDeployedIsA404ButTheServerIsLiveAndReady() {
        undeploy();
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/RandomForest").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("nothing is deployed"));
    }
}
