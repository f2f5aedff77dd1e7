package dev.mlpipeline.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.batch.dto.CreateBatchPredictionRequest;
import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.dataset.DatasetStreams;
import dev.mlpipeline.deployment.DeploymentService;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobQueue;
import dev.mlpipeline.jobs.JobScheduler;
import dev.mlpipeline.jobs.JobStatus;
import dev.mlpipeline.pipeline.ColumnType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Batch predictions: queue the scoring of a whole dataset with a model version (the active
 * deployment's by default), follow and cancel it like a training job, and stream its result.
 */
@ApplicationScoped
public class BatchPredictionService {

    @Inject
    BatchPredictionRepository batches;

    @Inject
    DatasetStreams streams;

    @Inject
    DeploymentService deployments;

    @Inject
    JobQueue queue;

    @Inject
    JobScheduler scheduler;

    @Inject
    MlpipelineConfig config;

    /**
     * Queues a batch prediction (PENDING).
     *
     * @throws InvalidInputException (400) without a dataset_id, or without a job_id while nothing is deployed
     * @throws NotFoundException (404) for an unknown dataset or job
     * @throws ConflictException (409) when the job is not COMPLETED
     */
    public Uni<BatchPrediction> createBatchPrediction(CreateBatchPredictionRequest request) {
        if (request == null) {
            throw new InvalidInputException("The request body is required: {\"dataset_id\": \"ds_…\", \"job_id\": \"trn_…\"}"
                    + " (job_id defaults to the active deployment's).");
        }
        if (request.datasetId() == null || request.datasetId().isBlank()) {
            throw InvalidInputException.forField("dataset_id", "is required: the uploaded dataset to score");
        }
        Uni<String> jobId = request.jobId() != null
                ? Uni.createFrom().item(request.jobId())
                : deployments.getActiveDeployment().map(d -> d.jobId)
                        .onFailure(NotFoundException.class).transform(e -> InvalidInputException.forField("job_id",
                                "is required while nothing is deployed: the COMPLETED training (trn_…) or tuning (tun_…) job to score with"));
        return jobId.flatMap(id -> {
            JobKind kind = JobKind.ofJobId(id).orElseThrow(() -> new NotFoundException("Job '" + id
                    + "' does not exist (job ids start with trn_ or tun_)."));
            return batches.findJobVersion(kind, id).flatMap(job -> {
                if (job == null) {
                    return Uni.createFrom().failure(NotFoundException.of(kind == JobKind.TRAINING ? "Training job" : "Tuning job", id));
                }
                if (!"COMPLETED".equals(job.status())) {
                    return Uni.createFrom().failure(new ConflictException("Job '" + id + "' is " + job.status()
                            + "; only COMPLETED jobs have a model version to score with."));
                }
                return streams.open(request.datasetId())
                        .flatMap(header -> batches.insert(Ids.next("bpr"), header.datasetId(), id, job, header.columns(), header.rowCount()));
            });
        }).invoke(ignored -> scheduler.wakeUp());
    }

    /** A batch prediction, or {@link NotFoundException}. */
    public Uni<BatchPrediction> getBatchPrediction(String id) {
        return batches.find(id).onItem().ifNull().failWith(() -> NotFoundException.of("Batch prediction", id));
    }

    /** Newest first. */
    public Uni<List<BatchPrediction>> listBatchPredictions(JobStatus status, int limit) {
        return batches.list(status, limit);
    }

    /** Cancels a PENDING or RUNNING batch prediction (a running one stops at its next chunk); 409 once finished. */
    public Uni<BatchPrediction> cancelBatchPrediction(String id) {
        return queue.cancel(JobKind.BATCH_PREDICTION, id)
                .flatMap(cancelled -> getBatchPrediction(id).invoke(b -> {
                    if (!cancelled) {
                        throw new ConflictException("Batch prediction '" + id + "' has already finished (" + b.status()
                                + "); only PENDING or RUNNING ones can be cancelled.");
                    }
                }));
    }

    /** Deletes a finished batch prediction and its result; 409 while PENDING or RUNNING (cancel it first). */
    public Uni<Void> deleteBatchPrediction(String id) {
        return getBatchPrediction(id).flatMap(b -> batches.delete(id).invoke(deleted -> {
            if (!deleted) {
                throw new ConflictException("Batch prediction '" + id + "' is " + b.status()
                        + "; cancel it (POST /api/batch-predictions/" + id + "/cancel) before deleting it.");
            }
        })).replaceWithVoid();
    }

    /** A result about to be streamed. */
    public record Result(BatchPrediction batch, boolean ndjson, Multi<Buffer> body) {
    }

    /**
     * The result of a COMPLETED (or the rows written so far of a CANCELLED or FAILED) batch prediction,
     * as CSV (the input columns, {@code prediction}, one {@code probability_<label>} column per class,
     * {@code error}) or JSON lines, read page by page: never the whole result in memory.
     *
     * @throws ConflictException while PENDING or RUNNING
     */
    public Uni<Result> getBatchPredictionResult(String id, boolean ndjson) {
        return getBatchPrediction(id).flatMap(b -> {
            if (!b.status().isTerminal()) {
                throw new ConflictException("Batch prediction '" + id + "' is " + b.status() + " (" + Math.round(b.progress() * 100)
                        + " % done); its result is available once it has finished.");
            }
            return streams.open(b.datasetId()).map(header -> new Result(b, ndjson, body(b, header.types(), ndjson)));
        });
    }

    private Multi<Buffer> body(BatchPrediction b, Map<String, ColumnType> types, boolean ndjson) {
        // Pages of whole stored chunks: as many as make resultPageRows rows (at least one).
        int pageChunks = Math.max(1, config.batchPredictions().resultPageRows() / config.batchPredictions().chunkRows());
        AtomicLong after = new AtomicLong(-1);
        Multi<Buffer> pages = Multi.createBy().repeating()
                .uni(() -> batches.page(b.id(), after.get(), pageChunks)
                        .invoke(rows -> {
                            if (!rows.isEmpty()) {
                                after.set(rows.getLast().index());
                            }
                        }))
                .until(List::isEmpty)
                .map(rows -> {
                    StringBuilder sb = new StringBuilder(rows.size() * 160);
                    for (BatchPredictionRepository.ResultRow row : rows) {
                        if (ndjson) {
                            jsonLine(sb, b, types, row);
                        } else {
                            csvLine(sb, b, row);
                        }
                    }
                    return Buffer.buffer(sb.toString());
                });
        if (ndjson) {
            return pages;
        }
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(Buffer.buffer(csvHeader(b))), pages);
    }

    static String csvHeader(BatchPrediction b) {
        StringBuilder sb = new StringBuilder(Csv.record(b.inputColumns().toArray(String[]::new)));
        sb.append(",prediction");
        if (b.classLabels() != null) {
            for (String label : b.classLabels()) {
                Csv.field(sb.append(','), "probability_" + label);
            }
        }
        return sb.append(",error\n").toString();
    }

    private static void csvLine(StringBuilder sb, BatchPrediction b, BatchPredictionRepository.ResultRow row) {
        sb.append(row.input()).append(',');
        Csv.field(sb, row.prediction());
        if (b.classLabels() != null) {
            sb.append(',');
            if (row.probabilities() != null) {
                for (int k = 0; k < row.probabilities().length; k++) {
                    if (k > 0) {
                        sb.append(',');
                    }
                    sb.append(row.probabilities()[k].doubleValue());
                }
            } else {
                sb.append(",".repeat(b.classLabels().size() - 1));
            }
        }
        sb.append(',');
        Csv.field(sb, row.error());
        sb.append('\n');
    }

    private static void jsonLine(StringBuilder sb, BatchPrediction b, Map<String, ColumnType> types,
            BatchPredictionRepository.ResultRow row) {
        List<String> cells = Csv.split(row.input(), b.inputColumns().size());
        Map<String, Object> input = new LinkedHashMap<>();
        for (int j = 0; j < b.inputColumns().size(); j++) {
            String column = b.inputColumns().get(j);
            String cell = j < cells.size() ? cells.get(j) : null;
            input.put(column, cell != null && types.get(column) == ColumnType.NUMERIC ? number(cell) : cell);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("row", row.index());
        line.put("input", input);
        line.put("prediction", row.prediction() != null && b.numericPredictions() ? number(row.prediction()) : row.prediction());
        if (b.classLabels() != null) {
            Map<String, Object> probabilities = null;
            if (row.probabilities() != null) {
                probabilities = new LinkedHashMap<>();
                for (int k = 0; k < row.probabilities().length; k++) {
                    probabilities.put(b.classLabels().get(k), row.probabilities()[k]);
                }
            }
            line.put("probabilities", probabilities);
        }
        line.put("error", row.error());
        sb.append(new JsonObject(line).encode()).append('\n');
    }

    /** A number for JSON: an integer when the text is one, else a double; the text itself if it is neither. */
    private static Object number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(text);
                return Double.isFinite(d) ? d : text;
            } catch (NumberFormatException e2) {
                return text;
            }
        }
    }
}
