package dev.mlpipeline.dataset;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 11, uploads: files as their authors meant them (semicolons, blanks after delimiters,
 * missing-value markers, codes with leading zeros), the upload options and the warnings.
 */
@QuarkusTest
class DatasetUploadContractTest {

    private static RequestSpecification file(String csv) {
        return given().multiPart("file", "data.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    private static ValidatableResponse upload(RequestSpecification request) {
        return request.post("/api/datasets").then();
    }

    private static String semicolonFile() {
        StringBuilder csv = new StringBuilder("age;income;label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(20 + i).append(';').append(30000 + 1000 * i).append(';').append(i < 20 ? "no" : "yes").append('\n');
        }
        return csv.toString();
    }

    static JsonPath awaitTraining(String jobId) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = given().get("/api/training/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
            return List.of("COMPLETED", "FAILED").contains(last[0].getString("status"));
        });
        return last[0];
    }

    @Test
    void semicolonFileIsReadAsThreeColumnsAndTrains() {
        String id = upload(file(semicolonFile())).statusCode(201)
                .body("delimiter", equalTo(";"))
                .body("column_count", equalTo(3))
                .body("columns.name", contains("age", "income", "label"))
                .body("columns.type", contains("numeric", "numeric", "categorical"))
                .extract().path("id");
        String job = given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"label\"}")
                .post("/api/training/jobs").then().statusCode(202)
                .body("feature_columns", contains("age", "income")).extract().path("id");
        JsonPath done = awaitTraining(job);
        assertEquals("COMPLETED", done.getString("status"), done.prettify());
    }

    @Test
    void tabAndPipeFiles() {
        upload(file("a\tb\tc\n1\t2\tx\n3\t4\ty\n")).statusCode(201)
                .body("delimiter", equalTo("\t")).body("columns.name", contains("a", "b", "c"));
        upload(file("a|b|c\n1|2|\"x|y\"\n3|4|z\n")).statusCode(201)
                .body("delimiter", equalTo("|")).body("columns.name", contains("a", "b", "c"));
    }

    @Test
    void blankAfterEachDelimiterIsTrimmedWithAWarning() {
        String csv = "age, workclass, hours, income\n39, State-gov, 40, <=50K\n50, Self-emp, 13, <=50K\n"
                + "38, Private, 40, >50K\n";
        String id = upload(file(csv)).statusCode(201)
                .body("columns.name", contains("age", "workclass", "hours", "income"))
                .body("columns.find { it.name == 'hours' }.type", equalTo("numeric"))
                .body("columns.find { it.name == 'hours' }.distinct", equalTo(2))
                .body("warnings.findAll { it.column == 'hours' }.code", hasItem("trimmed"))
                .body("warnings.find { it.column == 'hours' && it.message.startsWith('3 values') }.message",
                        containsString("unquoted values are trimmed"))
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("rows[0].workclass", equalTo("State-gov"))
                .body("rows[0].hours", equalTo(40));
    }

    @Test
    void quotedFieldsWithBlanksAreKeptAsWritten() {
        String id = upload(file("name, city\n x , \"  New York \"\nann, \" \"\n")).statusCode(201)
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("rows[0].name", equalTo("x"))
                .body("rows[0].city", equalTo("  New York "))
                .body("rows[1].city", equalTo(" "));
    }

    @Test
    void missingValueMarkersKeepNumericColumnsNumeric() {
        String csv = "id,income,city\n1,NA,Paris\n2,N/A,null\n3,61000,Lyon\n4,NaN,N/A\n5,52000,Nice\n6,null,Paris\n";
        String id = upload(file(csv)).statusCode(201)
                .body("columns.find { it.name == 'income' }.type", equalTo("numeric"))
                .body("columns.find { it.name == 'income' }.missing", equalTo(4))
                .body("columns.find { it.name == 'income' }.missing_markers", contains("N/A", "NA", "NaN", "null"))
                .body("columns.find { it.name == 'city' }.missing", equalTo(2))
                .body("warnings.find { it.column == 'income' && it.code == 'missing_markers' }.message",
                        containsString("4 values read as missing"))
                .body("na_values", hasItem("N/A"))
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("rows[0].income", nullValue())
                .body("rows[1].city", nullValue())
                .body("rows[2].income", equalTo(61000));
    }

    @Test
    void naValuesPartReplacesTheDefaultMarkers() {
        upload(file("country,score\nNA,-\nUS,3\nFR,-\nDE,5\nIT,6\nES,7\nPT,8\n").multiPart("na_values", "[\"-\"]"))
                .statusCode(201)
                .body("na_values", contains("-"))
                .body("columns.find { it.name == 'country' }.missing", equalTo(0))
                .body("columns.find { it.name == 'score' }.type", equalTo("numeric"))
                .body("columns.find { it.name == 'score' }.missing", equalTo(2));
        upload(file("x\nNA\n").multiPart("na_values", "[1]")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("na_values"));
    }

    @Test
    void repeatedPlaceholderInANumericColumnIsMissing() {
        StringBuilder csv = new StringBuilder("hours,label\n");
        for (int i = 0; i < 12; i++) {
            csv.append(i % 4 == 3 ? "?" : String.valueOf(30 + i)).append(",x\n");
        }
        upload(file(csv.toString())).statusCode(201)
                .body("columns[0].type", equalTo("numeric"))
                .body("columns[0].missing", equalTo(3))
                .body("columns[0].missing_markers", contains("?"))
                .body("warnings.find { it.column == 'hours' }.code", equalTo("placeholders"));
    }

    @Test
    void codesWithLeadingZerosAreCategoricalAndPreviewedAsWritten() {
        String id = upload(file("zip,n\n02134,1\n00501,2\n10001,3\n")).statusCode(201)
                .body("columns[0].type", equalTo("categorical"))
                .body("warnings.find { it.column == 'zip' }.code", equalTo("leading_zeros"))
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("rows.zip", contains("02134", "00501", "10001"))
                .body("rows.n", contains(1, 2, 3));
    }

    @Test
    void columnTypesOverrideInferenceAndNameTheFirstContradiction() {
        String id = upload(file("zip,n\n02134,1\n00501,2\n10001,3\n")
                .multiPart("column_types", "{\"zip\":\"numeric\",\"n\":\"categorical\"}")).statusCode(201)
                .body("columns.type", contains("numeric", "categorical"))
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("rows.zip", contains(2134, 501, 10001))
                .body("rows.n", contains("1", "2", "3"));

        upload(file("zip,n\n02134,1\nBoston,2\n10001,3\n").multiPart("column_types", "{\"zip\":\"numeric\"}"))
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("column_types"))
                .body("detail", containsString("line 3 holds 'Boston', which is not a number"));
        upload(file("zip\n1\n").multiPart("column_types", "{\"zipcode\":\"categorical\"}"))
                .statusCode(400).body("errors[0].field", equalTo("column_types"))
                .body("detail", containsString("'zipcode'"));
        upload(file("zip\n1\n").multiPart("column_types", "{\"zip\":\"text\"}"))
                .statusCode(400).body("errors[0].field", equalTo("column_types"));
        upload(file("zip\n1\n").multiPart("column_types", "zip=categorical"))
                .statusCode(400).body("errors[0].field", equalTo("column_types"))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void delimiterPartOverridesDetection() {
        upload(file("a,b;c\n1,2;3\n4,5;6\n")).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("delimiter"))
                .body("detail", containsString("',' (comma) and ';' (semicolon)"));
        upload(file("a,b;c\n1,2;3\n4,5;6\n").multiPart("delimiter", ";")).statusCode(201)
                .body("columns.name", contains("a,b", "c"));
        upload(file("a\tb\n1\t2\n").multiPart("delimiter", "tab")).statusCode(201)
                .body("columns.name", contains("a", "b"));
        upload(file("a:b\n1:2\n").multiPart("delimiter", ":")).statusCode(400)
                .body("errors[0].field", equalTo("delimiter"));
    }

    @Test
    void likelyIdentifiersAreLeftOutOfTheDefaultFeatures() {
        StringBuilder csv = new StringBuilder("customer_id,tenure,plan,churn\n");
        for (int i = 0; i < 40; i++) {
            csv.append("C").append(7000 + i * 13).append(',').append(i % 24).append(',')
                    .append(i % 3 == 0 ? "basic" : "pro").append(',').append(i % 2 == 0 ? "Yes" : "No").append('\n');
        }
        String id = upload(file(csv.toString())).statusCode(201)
                .body("columns[0].likely_identifier", equalTo(true))
                .body("columns[1].likely_identifier", equalTo(false))
                .body("warnings.find { it.column == 'customer_id' }.code", equalTo("likely_identifier"))
                .extract().path("id");
        given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"churn\"}")
                .post("/api/training/jobs").then().statusCode(202)
                .body("feature_columns", contains("tenure", "plan"))
                .body("feature_columns", not(hasItem("customer_id")));
        given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + id + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"churn\","
                        + "\"feature_columns\":[\"customer_id\",\"tenure\"]}")
                .post("/api/training/jobs").then().statusCode(202)
                .body("feature_columns", contains("customer_id", "tenure"));
    }

    @Test
    void samplesReadExactlyAsBefore() {
        Map<String, Object> adult = given().multiPart("file", new java.io.File("samples/adult.csv"), "text/csv")
                .post("/api/datasets").then().statusCode(201)
                .body("delimiter", equalTo(","))
                .extract().path("columns.find { it.name == 'hours-per-week' }");
        assertEquals("numeric", adult.get("type"));
        assertEquals(List.of(), adult.get("missing_markers"));
    }
}
