package dev.mlpipeline.console;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time to answer each console page with 1,000 model versions in the registry (4 model types × 250
 * versions on one dataset, written with SQL as completed jobs), measured over loopback with the
 * JDK's HTTP client: median and 95th percentile of {@value #REPS} requests after {@value #WARMUP}
 * warm-up requests. Loopback timing includes the HTTP exchange, so it bounds the server's own time
 * from above. The API's JSON for the same registry page ({@code GET /api/registry/models?limit=10&versions_limit=25})
 * is measured in the same run as the reference. The registry page and its API reference are also measured
 * "after a change": a registry change (a dataset rename to the same name, which bumps the V10 registry
 * generation) is written before each request, outside the timed part, so the page is read from PostgreSQL
 * again instead of the replica's page cache. Fails when a page's median is above 100 ms.
 *
 * <pre>./mvnw -B -o test -Dgroups=benchmark -Dtest=ConsoleRenderBenchmark</pre>
 */
@QuarkusTest
@Tag("benchmark")
class ConsoleRenderBenchmark {

    static final int WARMUP = 30;
    static final int REPS = 100;

    /** A feature importance as stored (V7) for the 7 titanic features. */
    static final String IMPORTANCE = """
            {"model_method":"impurity_decrease","scoring":"accuracy","n_repeats":5,"random_state":42,"baseline_score":0.82,
             "features":[{"feature":"Sex","model_importance":0.31,"permutation_importance_mean":0.19,"permutation_importance_std":0.02},
             {"feature":"Fare","model_importance":0.22,"permutation_importance_mean":0.05,"permutation_importance_std":0.01},
             {"feature":"Age","model_importance":0.2,"permutation_importance_mean":0.04,"permutation_importance_std":0.01},
             {"feature":"Pclass","model_importance":0.11,"permutation_importance_mean":0.03,"permutation_importance_std":0.01},
             {"feature":"SibSp","model_importance":0.06,"permutation_importance_mean":0.01,"permutation_importance_std":0.005},
             {"feature":"Parch","model_importance":0.05,"permutation_importance_mean":0.005,"permutation_importance_std":0.004},
             {"feature":"Embarked","model_importance":0.05,"permutation_importance_mean":0.004,"permutation_importance_std":0.003}]}""";

    @TestHTTPResource("/")
    URL base;

    @Test
    void pagesWithAThousandVersions() throws Exception {
        String ds = ApiFixtures.upload("titanic.csv");
        TestDatabase.update("INSERT INTO model_artifact (id, bytes, sha256, size_bytes, format, created_at) "
                + "VALUES ('art_console_bench', '\\x00', repeat('b', 64), 1, 'java-serialized-pipeline-v1', now()) ON CONFLICT DO NOTHING");
        int inserted = TestDatabase.update("""
                INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns, hyperparameters,
                    preprocessing, test_size, random_seed, status, progress, metrics, version, artifact_id,
                    created_at, started_at, completed_at, feature_importance)
                SELECT 'trn_cbench_' || m || '_' || v || '_' || ?, ?, (ARRAY['RandomForest','GradientBoosting','DecisionTree','LogisticRegression'])[m],
                    'classification', 'Survived', ARRAY['Pclass','Sex','Age','SibSp','Parch','Fare','Embarked'],
                    jsonb_build_object('n_trees', 100 + v % 7, 'max_depth', 10), '{"scaling":"standard"}', 0.2, 42, 'COMPLETED', 1,
                    jsonb_build_object('accuracy', round((0.6 + random() * 0.35)::numeric, 4), 'precision', 0.8, 'recall', 0.7, 'f1', 0.75),
                    v, 'art_console_bench', now() - make_interval(secs => 100000 - v * 10), now() - make_interval(secs => 100000 - v * 10),
                    now() - make_interval(secs => 100000 - v * 10), ?::jsonb
                FROM generate_series(1, 4) m, generate_series(1, 250) v""", ds.substring(3, 11), ds, IMPORTANCE);
        assertEquals(1000, inserted);
        TestDatabase.update("""
                INSERT INTO model_version_counter (dataset_id, model_type, last_version)
                SELECT ?, t, 250 FROM unnest(ARRAY['RandomForest','GradientBoosting','DecisionTree','LogisticRegression']) t""", ds);

        // every version tagged and described, two aliases per model type (the registry rows and the version page show them)
        TestDatabase.update("""
                INSERT INTO model_version_metadata (job_id, description, tags, updated_at)
                SELECT id, 'benchmark version', jsonb_build_object('team', 'fraud', 'stage', 's' || (version % 3)), now()
                FROM training_job WHERE dataset_id = ?""", ds);
        TestDatabase.update("""
                INSERT INTO model_version_alias (dataset_id, model_type, alias, job_id, updated_at)
                SELECT dataset_id, model_type, CASE WHEN version = 250 THEN 'champion' ELSE 'challenger' END, id, now()
                FROM training_job WHERE dataset_id = ? AND version IN (249, 250)""", ds);

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("API reference: GET /api/registry/models?limit=10&versions_limit=25", "/api/registry/models?limit=10&versions_limit=25");
        pages.put("API reference after a registry change", "/api/registry/models?limit=10&versions_limit=25&");
        pages.put("registry /", "/");
        pages.put("registry / after a registry change", "/?");
        pages.put("registry, one model type", "/?dataset_id=" + ds + "&model_type=RandomForest");
        pages.put("registry, tag filter stage:s1", "/?dataset_id=" + ds + "&tag=stage:s1");
        pages.put("version page (v250: alias, tags, feature importance)", "/console/models/RandomForest/versions/250?dataset_id=" + ds);
        pages.put("datasets", "/console/datasets");
        pages.put("dataset (schema + 20 rows)", "/console/datasets/" + ds);
        pages.put("train form", "/console/train?dataset_id=" + ds + "&model_type=RandomForest&target_column=Survived");
        pages.put("tune form", "/console/tune?dataset_id=" + ds + "&model_type=GradientBoosting&target_column=Survived");
        pages.put("jobs", "/console/jobs");
        pages.put("deployments", "/console/deployments");
        pages.put("predict (none deployed)", "/console/predict");
        pages.put("predict drift fragment (none deployed)", "/console/predict/drift");
        pages.put("batch predictions", "/console/batch-predictions");

        // the measured version page shows what it is measured for
        String v250 = io.restassured.RestAssured.given().get(pages.get("version page (v250: alias, tags, feature importance)"))
                .then().statusCode(200).extract().asString();
        assertTrue(v250.contains("id=\"importance-chart\"") && v250.contains(">champion</code>") && v250.contains("value=\"s1\""), v250);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String root = base.toString().replaceAll("/$", "");
        List<String> lines = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        double reference = 0;
        for (var page : pages.entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(root + page.getValue())).GET().build();
            long bytes = 0;
            // the "after a change" pages end with '&' or '?' (same page, told apart here)
            boolean cold = page.getValue().endsWith("&") || page.getValue().endsWith("?");
            for (int i = 0; i < WARMUP; i++) {
                if (cold) {
                    TestDatabase.update("UPDATE dataset SET name = name WHERE id = ?", ds);
                }
                HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), page.getValue());
                bytes = r.body().length;
            }
            double[] ms = new double[REPS];
            for (int i = 0; i < REPS; i++) {
                if (cold) {
                    TestDatabase.update("UPDATE dataset SET name = name WHERE id = ?", ds);
                }
                long t = System.nanoTime();
                client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            double median = ms[REPS / 2];
            double p95 = ms[(int) (REPS * 0.95)];
            if (reference == 0) {
                reference = median;
            }
            lines.add(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |", page.getKey(), median, p95, median / reference,
                    bytes / 1024));
            if (!page.getValue().startsWith("/api") && median >= 100) {
                slow.add(page.getKey() + ": median " + median + " ms");
            }
        }
        System.out.println("| page | median ms | p95 ms | × API reference | KiB |");
        System.out.println("| --- | --- | --- | --- | --- |");
        lines.forEach(System.out::println);
        assertTrue(slow.isEmpty(), String.join("; ", slow));
    }
}
