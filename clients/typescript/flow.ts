// The flow of the README with the TypeScript client that OpenAPI Generator (typescript-fetch) makes
// from the service's own document, used as generated, on Node's fetch. Run by run.sh against the
// packaged service at MODEL_REGISTRY_URL.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  Configuration,
  CreateTrainingJobRequestTaskEnum,
  DatasetsApi,
  DeploymentSourceEnum,
  DeploymentsApi,
  JobStatus,
  ProblemFromJSON,
  RegistryApi,
  ResponseError,
  TrainingJob,
  TrainingJobsApi,
} from "./generated";

const config = new Configuration({ basePath: process.env.MODEL_REGISTRY_URL ?? "http://localhost:8080" });
const datasets = new DatasetsApi(config);
const training = new TrainingJobsApi(config);
const registry = new RegistryApi(config);
const deployments = new DeploymentsApi(config);

/** Response properties are optional in the generated types; the service always sends these. */
function present<T>(value: T | null | undefined, what: string): T {
  assert.ok(value !== undefined && value !== null, `${what} is missing`);
  return value;
}

async function train(datasetId: string, modelType: string, hyperparameters: { [key: string]: number }): Promise<TrainingJob> {
  const queued = await training.createTrainingJob({
    createTrainingJobRequest: {
      datasetId,
      modelType,
      targetColumn: "Survived",
      task: CreateTrainingJobRequestTaskEnum.Classification,
      hyperparameters,
    },
  });
  const id = present(queued.id, "job id");
  assert.ok(id.startsWith("trn_"), `job id ${id}`);
  assert.equal(queued.status, JobStatus.Pending);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const job = await training.getTrainingJob({ id });
    assert.ok(job.status !== JobStatus.Failed && job.status !== JobStatus.Cancelled, `job ${job.id}: ${job.error}`);
    if (job.status === JobStatus.Completed) {
      return job;
    }
    assert.ok(Date.now() < deadline, `job ${job.id} did not complete within 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const csv = readFileSync(join(__dirname, "..", "..", "..", "samples", "titanic.csv"));
  const titanic = await datasets.uploadDataset({ file: new File([csv], "titanic.csv", { type: "text/csv" }), name: "titanic" });
  const datasetId = present(titanic.id, "dataset id");
  assert.ok(datasetId.startsWith("ds_"), `dataset id ${datasetId}`);
  assert.equal(titanic.rowCount, 891);
  assert.equal(titanic.columnCount, 8);
  assert.ok(titanic.createdAt instanceof Date && !Number.isNaN(titanic.createdAt.getTime()));

  const forest = await train(datasetId, "RandomForest", { n_trees: 50, max_depth: 8 });
  await train(datasetId, "DecisionTree", { max_depth: 6 });
  assert.equal(forest.version, 1);
  assert.ok((forest.metrics?.["accuracy"] ?? 0) > 0.7, `metrics ${JSON.stringify(forest.metrics)}`);
  assert.ok(forest.artifact?.sha256);

  // the registry, one entry per page, following X-Next-Cursor
  const first = await registry.listModelsRaw({ datasetId, limit: 1 });
  const firstPage = await first.value();
  const cursor = first.raw.headers.get("X-Next-Cursor");
  assert.equal(firstPage.length, 1);
  assert.ok(cursor, "X-Next-Cursor on the first page");
  const second = await registry.listModelsRaw({ datasetId, limit: 1, cursor });
  const secondPage = await second.value();
  assert.equal(secondPage.length, 1);
  assert.equal(second.raw.headers.get("X-Next-Cursor"), null, "the second page is the last");
  assert.deepEqual(new Set([firstPage[0].modelType, secondPage[0].modelType]), new Set(["RandomForest", "DecisionTree"]));

  const next = await registry.getNextVersion({ datasetId, modelType: "RandomForest", jobType: "training" });
  assert.equal(next.nextVersion, 2);

  const deployment = await deployments.deployModel({ deployRequest: { jobId: present(forest.id, "job id") } });
  assert.ok(deployment.id?.startsWith("dep_"), `deployment id ${deployment.id}`);
  assert.equal(deployment.isActive, true);
  assert.equal(deployment.source, DeploymentSourceEnum.Training);

  const predicted = await deployments.predict({
    requestBody: [
      { Pclass: 3, Sex: "male", Age: 22, SibSp: 1, Parch: 0, Fare: 7.25, Embarked: "S" },
      { Pclass: 1, Sex: "female", Age: 38, SibSp: 1, Parch: 0, Fare: 71.2833, Embarked: "C" },
    ],
  });
  assert.equal(predicted.predictions?.length, 2);
  assert.equal(predicted.probabilities?.length, 2);
  assert.equal(predicted.deploymentId, deployment.id);
  assert.deepEqual(predicted.ignoredColumns, []);

  const history = await deployments.listDeployments({ limit: 10 });
  assert.equal(history[0].id, deployment.id);
  assert.equal(history[0].isActive, true);

  try {
    await datasets.getDataset({ id: "ds_missing" });
    assert.fail("GET /api/datasets/ds_missing succeeded");
  } catch (e) {
    assert.ok(e instanceof ResponseError, `a ResponseError, got ${e}`);
    assert.equal(e.response.status, 404);
    assert.match(e.response.headers.get("Content-Type") ?? "", /^application\/problem\+json/);
    const problem = ProblemFromJSON(await e.response.json());
    assert.equal(problem.status, 404);
    assert.equal(problem.instance, "/api/datasets/ds_missing");
    assert.match(problem.detail ?? "", /ds_missing/);
  }

  await deployments.undeployModel();
  console.log(`TypeScript client flow passed: ${titanic.id} → ${forest.id} → ${deployment.id}, predictions ${JSON.stringify(predicted.predictions)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
