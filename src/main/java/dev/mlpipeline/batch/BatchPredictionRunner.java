package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetStreams;
import dev.mlpipeline.deployment.ModelLoader;
import dev.mlpipeline.jobs.JobExecution;
import dev.mlpipeline.jobs.JobHandler;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobRecorder;
import dev.mlpipeline.jobs.WorkerPool;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import io.smallrye.mutiny.Uni;

/**
 * Runs a claimed batch prediction: loads the model version (checked and dry-run as for a deploy),
 * streams the dataset's rows from PostgreSQL chunk by chunk, scores them in chunks of
 * {@code mlpipeline.batch-predictions.chunk-rows} rows on up to {@code parallelism} threads of the
 * {@link WorkerPool} (the job's own thread and helpers, which only start when the pool has free
 * threads) with a {@link dev.mlpipeline.pipeline.BatchScorer} per thread (no per-row maps), and writes
 * each chunk's results as one table row (its fields as arrays) while the next chunk is scored. Memory stays bounded whatever the dataset's size: two dataset chunks of 1 MiB, and per
 * scoring thread one chunk of rows being scored and at most two being written.
 *
 * <p>Progress is the fraction of rows written; the job stops at the next chunk once cancelled.
 */
@ApplicationScoped
public class BatchPredictionRunner implements JobHandler {

    private static final Logger LOG = Logger.getLogger(BatchPredictionRunner.class);

    @Inject
    BatchPredictionRepository batches;

    @Inject
    JobRecorder recorder;

    @Inject
    ModelLoader loader;

    @Inject
    DatasetStreams streams;

    @Inject
    WorkerPool workers;

    @Inject
    MlpipelineConfig config;

    @Override
    public JobKind kind() {
        return JobKind.BATCH_PREDICTION;
    }

    @Override
    public Uni<Void> run(JobExecution execution) {
        String id = execution.jobId();
        return recorder.beforeRun("read batch prediction " + id, () -> batches.find(id))
                .onItem().ifNull().failWith(() -> NotFoundException.of("Batch prediction", id))
                .invoke(batch -> execution.modelType(batch.modelType()))
                .flatMap(batch -> {
                    JobKind kind = JobKind.ofJobId(batch.jobId()).orElseThrow(() -> new ConflictException(
                            "'" + batch.jobId() + "' is not a training or tuning job."));
                    return loader.load(kind, batch.jobId())
                            .flatMap(pipeline -> recorder.beforeRun("open the dataset of " + id, () -> streams.open(batch.datasetId()))
                                    .flatMap(header -> {
                                        boolean numeric = pipeline.task() != Task.CLASSIFICATION
                                                || pipeline.labels().stream().allMatch(l -> l instanceof Number);
                                        List<String> labels = pipeline.task() == Task.CLASSIFICATION
                                                ? pipeline.labels().stream().map(String::valueOf).toList() : null;
                                        return recorder.beforeRun("start batch prediction " + id,
                                                () -> batches.start(id, execution.owner(), labels, numeric))
                                                .flatMap(mine -> {
                                                    if (!mine) {
                                                        return Uni.createFrom().failure(new TrainingCancelledException());
                                                    }
                                                    return Offload.run(workers, () -> {
                                                        score(execution, pipeline, header);
                                                        return true;
                                                    });
                                                });
                                    }));
                })
                .flatMap(ignored -> recorder.completeWith(execution, () -> batches.complete(id, execution.owner())))
                .replaceWithVoid();
    }

    /** Scores the whole dataset; blocks (a worker thread). */
    void score(JobExecution execution, FittedPipeline pipeline, DatasetStreams.Header header) throws Exception {
        BatchRows scorer = new BatchRows(pipeline, header.columns());
        if (!scorer.anyFeature()) {
            throw new ConflictException("Dataset " + header.datasetId() + " has none of the model's features ("
                    + String.join(", ", scorer.absentFeatures()) + "); its columns are: " + String.join(", ", header.columns()) + ".");
        }
        if (!scorer.absentFeatures().isEmpty()) {
            LOG.infof("Batch prediction %s: dataset %s lacks feature(s) %s; they are imputed on every row", execution.jobId(),
                    header.datasetId(), scorer.absentFeatures());
        }
        var settings = config.batchPredictions();
        int parallelism = Math.max(1, Math.min(settings.parallelism().orElse(workers.size()), workers.size()));
        Run run = new Run(execution, scorer, streams.cursor(header), settings.chunkRows(), Math.max(1, header.rowCount()));
        List<Helper> helpers = new ArrayList<>();
        for (int i = 1; i < parallelism; i++) {
            Helper helper = new Helper(run);
            helper.future = CompletableFuture.runAsync(helper, workers);
            helpers.add(helper);
        }
        try {
            run.work();
        } finally {
            for (Helper helper : helpers) {
                helper.awaitIfStarted();
            }
            run.drain();
            run.cursor.close();
        }
        run.rethrow();
        LOG.infof("Batch prediction %s: %d rows written on %d thread(s)", execution.jobId(), run.written.get(),
                1 + helpers.stream().filter(h -> h.started).count());
    }

    /** The shared state of one run: the cursor (read under a lock), the writes in flight, the first failure. */
    private final class Run {
        final JobExecution execution;
        final BatchRows scorer;
        final DatasetStreams.Cursor cursor;
        final int chunkRows;
        final long total;
        final Object readLock = new Object();
        final AtomicLong written = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean stopped = new AtomicBoolean();
        final Semaphore inFlight;
        final int permits;
        long next;
        boolean exhausted;

        Run(JobExecution execution, BatchRows scorer, DatasetStreams.Cursor cursor, int chunkRows, long total) {
            this.execution = execution;
            this.scorer = scorer;
            this.cursor = cursor;
            this.chunkRows = chunkRows;
            this.total = total;
            this.permits = 2 * Math.max(1, workers.size());
            this.inFlight = new Semaphore(permits);
        }

        boolean stopping() {
            return stopped.get() || failure.get() != null || execution.isCancelled();
        }

        /** Reads, scores and writes chunks until the dataset is done or the run stops. */
        void work() {
            try {
                BatchRows.Scorer threadScorer = scorer.scorer(chunkRows);
                while (!stopping()) {
                    List<String[]> chunk = new ArrayList<>(chunkRows);
                    long first;
                    synchronized (readLock) {
                        if (exhausted) {
                            return;
                        }
                        String[] record;
                        while (chunk.size() < chunkRows && (record = cursor.next()) != null) {
                            chunk.add(record);
                        }
                        exhausted = chunk.size() < chunkRows;
                        first = next;
                        next += chunk.size();
                    }
                    if (chunk.isEmpty()) {
                        return;
                    }
                    write(threadScorer.score(first, chunk));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private void write(BatchPredictionRepository.Chunk rows) throws InterruptedException {
            inFlight.acquire();
            batches.insertChunk(execution.jobId(), execution.owner(), rows).subscribe().with(mine -> {
                if (mine) {
                    long done = written.addAndGet(rows.rows());
                    execution.onProgress(Math.min(0.99, done / (double) total));
                } else {
                    stopped.set(true);
                }
                inFlight.release();
            }, e -> {
                failure.compareAndSet(null, e);
                inFlight.release();
            });
        }

        /** Waits for every write in flight. */
        void drain() throws InterruptedException {
            inFlight.acquire(permits);
            inFlight.release(permits);
        }

        void rethrow() throws Exception {
            Throwable e = failure.get();
            if (e instanceof Exception ex) {
                throw ex;
            }
            if (e instanceof Error error) {
                throw error;
            }
            if (stopped.get() || execution.isCancelled()) {
                throw new TrainingCancelledException();
            }
        }
    }

    /** A helper thread of a run; it does nothing if it starts after the run has finished reading. */
    private static final class Helper implements Runnable {
        final Run run;
        CompletableFuture<Void> future;
        volatile boolean started;
        private boolean skipped;

        Helper(Run run) {
            this.run = run;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (skipped) {
                    return;
                }
                started = true;
            }
            run.work();
        }

        /** Called by the job's thread when it is done: a helper that has not started never will. */
        void awaitIfStarted() {
            synchronized (this) {
                if (!started) {
                    skipped = true;
                    return;
                }
            }
            future.join();
        }
    }
}
