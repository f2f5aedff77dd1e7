package dev.mlpipeline.client;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.client.api.DatasetsApi;
import dev.mlpipeline.client.api.DeploymentsApi;
import dev.mlpipeline.client.api.RegistryApi;
import dev.mlpipeline.client.api.TrainingJobsApi;
import dev.mlpipeline.client.model.CreateTrainingJobRequest;
import dev.mlpipeline.client.model.Dataset;
import dev.mlpipeline.client.model.DeployRequest;
import dev.mlpipeline.client.model.Deployment;
import dev.mlpipeline.client.model.JobStatus;
import dev.mlpipeline.client.model.ModelEntry;
import dev.mlpipeline.client.model.NextVersion;
import dev.mlpipeline.client.model.PredictionResponse;
import dev.mlpipeline.client.model.Problem;
import dev.mlpipeline.client.model.TrainingJob;
import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java client that OpenAPI Generator makes from the service's own document (generator
 * {@code java}, library {@code native}; see pom.xml), used as generated: its own ObjectMapper, no
 * edits. It runs the whole flow against the packaged service: upload, train, registry paging,
 * next version, deploy, predict, deployment history, and a 404 as a typed error with its problem.
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(forArtifactTypes = DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY) // no embedded database
class GeneratedClientIT {

    private final ApiClient client = new ApiClient();
    private final DatasetsApi datasets;
    private final TrainingJobsApi training;
    private final RegistryApi registry;
    private final DeploymentsApi deployments;

    GeneratedClientIT() {
        client.updateBaseUri(TestHTTPResourceManager.getUri());
        // The packaged service runs with security on; failsafe gives it this bootstrap (admin) token.
        String token = System.getenv("MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        datasets = new DatasetsApi(client);
        training = new TrainingJobsApi(client);
        registry = new RegistryApi(client);
        deployments = new DeploymentsApi(client);
    }

    @Test
    void theGeneratedClientRunsTheWholeFlow() throws Exception {
        Dataset titanic = datasets.uploadDataset(new File("samples/titanic.csv"), "titanic", null, null, null);
        assertTrue(titanic.getId().startsWith("ds_"), titanic.getId());
        assertEquals(891L, titanic.getRowCount());
        assertEquals(8, titanic.getColumnCount());
        assertNotNull(titanic.getCreatedAt());

        TrainingJob forest = train(titanic.getId(), "RandomForest", Map.of("n_trees", 50, "max_depth", 8));
        TrainingJob tree = train(titanic.getId(), "DecisionTree", Map.of("max_depth", 6));
        assertEquals(1, forest.getVersion());
        assertTrue(forest.getMetrics().get("accuracy") > 0.7, "accuracy " + forest.getMetrics());
        assertNotNull(forest.getArtifact().getSha256());
        assertNotNull(forest.getCompletedAt());

        // the registry, one entry per page, following X-Next-Cursor
        ApiResponse<List<ModelEntry>> first = registry.listModelsWithHttpInfo(null, titanic.getId(), null, 1, null, null, null, null);
        assertEquals(1, first.getData().size());
        List<String> cursor = first.getHeaders().get("x-next-cursor");
        assertTrue(cursor != null && cursor.size() == 1, "X-Next-Cursor on the first page: " + first.getHeaders());
        ApiResponse<List<ModelEntry>> second = registry.listModelsWithHttpInfo(cursor.get(0), titanic.getId(), null, 1, null, null, null, null);
        assertEquals(1, second.getData().size());
        assertNull(second.getHeaders().get("x-next-cursor"), "the second page is the last");
        Set<String> types = List.of(first.getData().get(0), second.getData().get(0)).stream()
                .map(ModelEntry::getModelType).collect(Collectors.toSet());
        assertEquals(Set.of("RandomForest", "DecisionTree"), types);
        ModelEntry forestEntry = first.getData().get(0).getModelType().equals("RandomForest") ? first.getData().get(0) : second.getData().get(0);
        assertEquals(1, forestEntry.getLatestVersion());
        assertEquals(forest.getId(), forestEntry.getVersions().get(0).getJobId());
        assertEquals(forest.getMetrics().get("accuracy"), forestEntry.getVersions().get(0).getMetrics().get("accuracy"));

        NextVersion next = registry.getNextVersion(titanic.getId(), "RandomForest", "training");
        assertEquals(2, next.getNextVersion());

        Deployment deployment = deployments.deployModel(new DeployRequest().jobId(forest.getId()));
        assertTrue(deployment.getId().startsWith("dep_"), deployment.getId());
        assertEquals(Boolean.TRUE, deployment.getIsActive());
        assertEquals(Deployment.SourceEnum.TRAINING, deployment.getSource());
        assertNull(deployment.getDeactivatedAt());

        PredictionResponse predicted = deployments.predict(List.of(
                Map.of("Pclass", 3, "Sex", "male", "Age", 22, "SibSp", 1, "Parch", 0, "Fare", 7.25, "Embarked", "S"),
                Map.of("Pclass", 1, "Sex", "female", "Age", 38, "SibSp", 1, "Parch", 0, "Fare", 71.2833, "Embarked", "C")), null, null);
        assertEquals(2, predicted.getPredictions().size());
        assertEquals(2, predicted.getProbabilities().size());
        assertEquals(deployment.getId(), predicted.getDeploymentId());
        assertEquals(1, predicted.getVersion());
        assertTrue(predicted.getIgnoredColumns().isEmpty());

        List<Deployment> history = deployments.listDeployments(10);
        assertFalse(history.isEmpty());
        assertEquals(deployment.getId(), history.get(0).getId());
        assertEquals(Boolean.TRUE, history.get(0).getIsActive());

        ApiException missing = assertThrows(ApiException.class, () -> datasets.getDataset("ds_missing"));
        assertEquals(404, missing.getCode());
        assertTrue(missing.getResponseHeaders().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        Problem problem = client.getObjectMapper().readValue(missing.getResponseBody(), Problem.class);
        assertEquals(404, problem.getStatus());
        assertEquals("/api/datasets/ds_missing", problem.getInstance());
        assertTrue(problem.getDetail().contains("ds_missing"), problem.getDetail());

        deployments.undeployModel();
    }

    private TrainingJob train(String datasetId, String modelType, Map<String, Object> hyperparameters) throws ApiException {
        TrainingJob queued = training.createTrainingJob(new CreateTrainingJobRequest().datasetId(datasetId).modelType(modelType)
                .targetColumn("Survived").task(CreateTrainingJobRequest.TaskEnum.CLASSIFICATION).hyperparameters(hyperparameters));
        assertTrue(queued.getId().startsWith("trn_"), queued.getId());
        assertEquals(JobStatus.PENDING, queued.getStatus());
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> training.getTrainingJob(queued.getId()), job -> {
                    assertFalse(job.getStatus() == JobStatus.FAILED || job.getStatus() == JobStatus.CANCELLED, job.getError());
                    return job.getStatus() == JobStatus.COMPLETED;
                });
    }
}
