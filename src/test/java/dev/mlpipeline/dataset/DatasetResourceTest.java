package dev.mlpipeline.dataset;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dataset upload, listing, preview and deletion over HTTP; {@link DatasetResourceIT} reruns it on the packaged jar. */
@QuarkusTest
class DatasetResourceTest {

    private static long datasetCount() {
        return TestDatabase.count("SELECT count(*) FROM dataset");
    }

    @ParameterizedTest
    @CsvSource({ "customers.csv, 7043, 20, 3ffa1d4c4b7a8aaf30b29a9d30a28822ffb22e94c50949db1c778a3535317392, TotalCharges, numeric, 11", "titanic.csv, 891, 8, b65912d43b252afd8ce1d6a3f7005baf3487f022d79cf958ca401ef9edd401f5, Age, numeric, 177", "iris.csv, 150, 5, 9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355, species, categorical, 0", "california_housing.csv, 20640, 10, 8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e, total_bedrooms, numeric, 207", "adult.csv, 32561, 15, 5138b5b5c98caed85f1d168fa268339cfe6e9d033c3957515ab3a00396877174, workclass, categorical, 1836"
    })
    void uploadsEverySampleWithItsManifestFacts(String file, long rows, int columns, String sha256,
            String column, String type, long missing) {
        long size = new File("samples/" + file).length();
        String location = given().multiPart("file", new File("samples/" + file), "text/csv")
                .post("/api/datasets").then()
                .statusCode(201)
                .header("Location", containsString("/api/datasets/ds_"))
                .body("id", startsWith("ds_"))
                .body("name", equalTo(file.replace(".csv", "")))
                .body("filename", equalTo(file))
                .body("row_count", equalTo((int) rows))
                .body("column_count", equalTo(columns))
                .body("columns", hasSize(columns))
                .body("size_bytes", equalTo((int) size))
                .body("sha256", equalTo(sha256))
                .body("created_at", containsString("T"))
                .body("columns.find { it.name == '" + column + "' }.type", equalTo(type))
                .body("columns.find { it.name == '" + column + "' }.missing", equalTo((int) missing))
                .extract().header("Location");
        given().get(location).then().statusCode(200).body("sha256", equalTo(sha256)).body("row_count", equalTo((int) rows));
    }

    @Test
    void customersColumnTypesMatchTheManifest() {
        String id = upload("customers.csv");
        given().get("/api/datasets/" + id).then().statusCode(200)
                .body("columns.findAll { it.type == 'numeric' }.name",
                        contains("SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"))
                .body("columns.find { it.name == 'Contract' }.distinct", equalTo(3))
                .body("columns.find { it.name == 'Churn' }.distinct", equalTo(2))
                .body("columns.find { it.name == 'Contract' }.distinct_exact", equalTo(true));
    }

    @Test
    void uploadTakesAnExplicitNameAndListsNewestFirst() {
        String first = given().multiPart("file", new File("samples/iris.csv"), "text/csv")
                .multiPart("name", "flowers").post("/api/datasets").then().statusCode(201)
                .body("name", equalTo("flowers")).extract().path("id");
        String second = upload("titanic.csv");
        List<String> ids = given().get("/api/datasets").then().statusCode(200).extract().path("id");
        assertEquals(second, ids.get(0));
        assertEquals(ids.indexOf(first), ids.indexOf(second) + 1);
    }

    @Test
    void parsesQuotesEmbeddedNewlinesCrlfAndBom() {
        String csv = "\uFEFFname,comment,score\r\n"
                + "\"Smith, J\",\"said \"\"hi\"\"\r\nand left\",1.5\r\n"
                + "Doe,,2\r\n"
                + "\"\",plain,\r\n";
        String id = upload("quoted.csv", csv.getBytes(StandardCharsets.UTF_8)).statusCode(201)
                .body("row_count", equalTo(3))
                .body("columns.name", contains("name", "comment", "score"))
                .body("columns[0].type", equalTo("categorical"))
                .body("columns[0].missing", equalTo(1))
                .body("columns[1].missing", equalTo(1))
                .body("columns[2].type", equalTo("numeric"))
                .body("columns[2].missing", equalTo(1))
                .extract().path("id");
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200)
                .body("columns", contains("name", "comment", "score"))
                .body("rows", hasSize(3))
                .body("rows[0].name", equalTo("Smith, J"))
                .body("rows[0].comment", equalTo("said \"hi\"\r\nand left"))
                .body("rows[0].score", equalTo(1.5f))
                .body("rows[1].comment", nullValue())
                .body("rows[1].score", equalTo(2))
                .body("rows[2].name", nullValue());
    }

    @Test
    void previewReturnsTheFirstRowsAsTypedObjects() {
        String id = upload("titanic.csv");
        given().get("/api/datasets/" + id + "/preview?limit=5").then().statusCode(200)
                .body("columns", contains("Survived", "Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"))
                .body("rows", hasSize(5))
                .body("rows[0].Survived", equalTo(0))
                .body("rows[0].Sex", equalTo("male"))
                .body("rows[0].Age", equalTo(22.0f))
                .body("rows[0].Fare", equalTo(7.25f));
        given().get("/api/datasets/" + id + "/preview").then().statusCode(200).body("rows", hasSize(20));
        given().get("/api/datasets/" + id + "/preview?limit=0").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().get("/api/datasets/" + id + "/preview?limit=abc").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not an integer"));
    }

    @Test
    void previewOfALargeDatasetSpansChunks() {
        // adult.csv is 3.5 MB: four chunks. Asking for every row up to the limit crosses chunk borders.
        String id = upload("adult.csv");
        given().get("/api/datasets/" + id + "/preview?limit=1000").then().statusCode(200)
                .body("rows", hasSize(1000))
                .body("rows[999].age", equalTo(39))
                .body("rows[999].income", equalTo(">50K"));
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                Arguments.of("empty file", "", "is empty"),
                Arguments.of("blank lines only", "\n\n", "is empty"),
                Arguments.of("header only", "a,b,c\n", "no data rows"),
                Arguments.of("empty column name", "a,,c\n1,2,3\n", "empty"),
                Arguments.of("duplicate column", "a,b,a\n1,2,3\n", "'a' twice"),
                Arguments.of("ragged row", "a,b\n1,2\n3\n4,5\n", "line 3"),
                Arguments.of("ragged after multi-line record", "a,b\n\"x\ny\",2\n3,4,5\n", "line 4"),
                Arguments.of("unterminated quote", "a,b\n1,\"oops\n", "line 2"),
                Arguments.of("json body as file", "{\"a\": [1, 2]}", "quote"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void rejectsMalformedCsvWithoutStoringAnything(String name, String content, String expected) {
        long before = datasetCount();
        upload("bad.csv", content.getBytes(StandardCharsets.UTF_8))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString(expected))
                .body("detail", not(containsString("Exception")));
        assertEquals(before, datasetCount());
    }

    @Test
    void rejectsNonUtf8AndBinaryFiles() {
        byte[] latin1 = "name,city\nJos\u00e9,S\u00e3o Paulo\n".getBytes(StandardCharsets.ISO_8859_1);
        upload("latin1.csv", latin1).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("UTF-8"));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
        upload("image.csv", png).statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("binary"));
    }

    @Test
    void rejectsRequestsThatAreNotAFileUpload() {
        given().contentType("application/json").body("{\"file\":\"a,b\\n1,2\"}").post("/api/datasets").then()
                .statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        given().multiPart("name", "no file here").post("/api/datasets").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"))
                .body("detail", containsString("'file'"));
    }

    @Test
    void rejectsFilesOverTheUploadLimitWith413() {
        long before = datasetCount();
        // 100 MiB + 1 KiB of valid CSV, streamed from a generator (never held in memory).
        long target = 100L * 1024 * 1024 + 1024;
        InputStream big = new InputStream() {
            final byte[] line = "12345,67890,abcde\n".getBytes(StandardCharsets.US_ASCII);
            final byte[] header = "a,b,c\n".getBytes(StandardCharsets.US_ASCII);
            long position;

            @Override
            public int read() {
                if (position >= target) {
                    return -1;
                }
                long p = position++;
                return p < header.length ? header[(int) p] : line[(int) ((p - header.length) % line.length)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= target) {
                    return -1;
                }
                int n = (int) Math.min(len, target - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
        given().multiPart("file", "big.csv", big, "text/csv").post("/api/datasets").then()
                .statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", containsString("limited to"));
        assertEquals(before, datasetCount());
    }

    @Test
    void unknownIdsAre404() {
        for (String path : List.of("/api/datasets/ds_nope", "/api/datasets/ds_nope/preview")) {
            given().get(path).then().statusCode(404).contentType("application/problem+json")
                    .body("detail", containsString("ds_nope"));
        }
        given().delete("/api/datasets/ds_nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void deleteRemovesTheDatasetAndItsContent() {
        String id = upload("iris.csv");
        given().delete("/api/datasets/" + id).then().statusCode(204);
        given().get("/api/datasets/" + id).then().statusCode(404);
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM dataset_chunk WHERE dataset_id = ?", id));
        List<String> ids = given().get("/api/datasets").then().extract().path("id");
        org.hamcrest.MatcherAssert.assertThat(ids, everyItem(not(equalTo(id))));
    }

    @Test
    void deleteIsRefusedWhileAJobRefersToTheDataset() {
        String id = upload("iris.csv");
        submitTraining("{\"dataset_id\":\"" + id + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        given().delete("/api/datasets/" + id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(id));
        given().get("/api/datasets/" + id).then().statusCode(200);
        Map<String, Object> preview = given().get("/api/datasets/" + id + "/preview?limit=1").then().statusCode(200)
                .extract().path("rows[0]");
        assertEquals("setosa", preview.get("species"));
        given().get("/api/datasets").then().body("id", hasItem(id));
    }
}
