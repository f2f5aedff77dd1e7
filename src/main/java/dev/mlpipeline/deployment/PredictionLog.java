package dev.mlpipeline.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.FeatureInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The prediction log: a sample of the rows predict answered, with their prediction, deployment and
 * time, written to {@code prediction_log} in the background.
 *
 * <p><b>On the predict path</b> ({@link #record}) nothing is copied, serialized or awaited: the request's
 * row list and prediction list are put, by reference, on a lock-free queue bounded by a row count
 * ({@code mlpipeline.prediction-log.queue-capacity}); when it is full the rows are dropped and counted
 * ({@code mlpipeline_prediction_log_rows_total{outcome="dropped"}}). The cost is a clock read, one
 * atomic add and one enqueue per request (plus one random draw per row when the sample rate is below
 * 1). Neither list is modified after predict returns, so sharing them is safe.
 *
 * <p><b>One writer thread</b> ({@code prediction-log-writer}) drains the queue every {@link #DRAIN_INTERVAL}
 * (or {@code flush-interval}, when shorter), serializing each row at once into its deployment's open batch
 * (only the model's features of each input), so that the request's objects die young. A batch is written
 * with one {@code INSERT} through the reactive pool when it holds {@code batch-size} rows or is
 * {@code flush-interval} old, the writer waiting for it on its own thread: so the writes are spread over
 * time rather than bunched at each interval, at most one is in flight, and a slow database fills the queue
 * (whose capacity counts the rows of the open batches too) rather than memory. A failed write drops its
 * batch, and a row that cannot be serialized drops its open batch ({@code outcome="failed"} for both, logged
 * once per failure streak); the writer goes on. On shutdown the queue and the open
 * batches are written one last time.
 *
 * <p><b>Retention:</b> a Vert.x timer deletes, every {@code cleanup-interval}, the batches older than
 * {@code retention} (every replica does; the delete is idempotent).
 */
@Singleton
public class PredictionLog {

    private static final Logger LOG = Logger.getLogger(PredictionLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** How often the writer moves queued rows into its open batches. */
    static final Duration DRAIN_INTERVAL = Duration.ofMillis(10);

    @Inject
    MlpipelineConfig config;

    @Inject
    PredictionLogRepository repository;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    /** Requests' rows waiting for the writer. */
    record Entry(ModelCache.Warm warm, long atMillis, List<Map<String, Object>> rows, List<Object> predictions) {
    }

    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedRows = new AtomicInteger();
    /** The sample rate ({@code mlpipeline.prediction-log.sample-rate}); a field so that tests can change it. */
    volatile double sampleRate;
    private int capacity;
    private int batchSize;
    private Counter written;
    private Counter dropped;
    private Counter failed;
    private Thread writer;
    private volatile boolean running;
    private boolean failing;
    /** The writer's open batches by deployment id; only the writer thread touches them. */
    private final Map<String, Batch> open = new HashMap<>();
    private long cleanupTimer = -1;

    void start(@Observes StartupEvent event) {
        MlpipelineConfig.PredictionLog c = config.predictionLog();
        if (!(c.sampleRate() >= 0 && c.sampleRate() <= 1)) {
            throw new IllegalArgumentException("mlpipeline.prediction-log.sample-rate must be between 0 and 1, got " + c.sampleRate());
        }
        if (c.queueCapacity() < 1 || c.batchSize() < 1) {
            throw new IllegalArgumentException("mlpipeline.prediction-log.queue-capacity and batch-size must be at least 1");
        }
        sampleRate = c.sampleRate();
        capacity = c.queueCapacity();
        batchSize = c.batchSize();
        written = rows("written", "Logged rows written to prediction_log");
        dropped = rows("dropped", "Rows not logged because the prediction log's queue was full");
        failed = rows("failed", "Logged rows lost because their batch could not be written");
        Gauge.builder("mlpipeline.prediction.log.queue.rows", queuedRows, AtomicInteger::get)
                .description("Predicted rows waiting to be written to the prediction log")
                .register(registry);
        running = true;
        writer = Thread.ofPlatform().name("prediction-log-writer").daemon().start(this::writeLoop);
        long cleanup = Math.max(1000, c.cleanupInterval().toMillis());
        cleanupTimer = vertx.setPeriodic(Math.min(cleanup, 60_000), cleanup, id -> deleteExpired());
    }

    void stop(@Observes ShutdownEvent event) {
        if (cleanupTimer >= 0) {
            vertx.cancelTimer(cleanupTimer);
        }
        running = false;
        if (writer != null) {
            LockSupport.unpark(writer);
            try {
                writer.join(WRITE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Counter rows(String outcome, String description) {
        return Counter.builder("mlpipeline.prediction.log.rows").description(description).tag("outcome", outcome).register(registry);
    }

    /**
     * Hands the rows of one successful predict request to the log (see the class doc for the cost).
     *
     * @param warm        the deployment that predicted them
     * @param rows        the request's rows, as read
     * @param predictions their predictions, in the same order
     */
    public void record(ModelCache.Warm warm, List<Map<String, Object>> rows, List<Object> predictions) {
        double rate = sampleRate;
        if (rate <= 0) {
            return;
        }
        if (rate < 1) {
            List<Map<String, Object>> keptRows = null;
            List<Object> keptPredictions = null;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < rows.size(); i++) {
                if (random.nextDouble() < rate) {
                    if (keptRows == null) {
                        keptRows = new ArrayList<>();
                        keptPredictions = new ArrayList<>();
                    }
                    keptRows.add(rows.get(i));
                    keptPredictions.add(predictions.get(i));
                }
            }
            if (keptRows == null) {
                return;
            }
            rows = keptRows;
            predictions = keptPredictions;
        }
        int n = rows.size();
        if (queuedRows.addAndGet(n) > capacity) {
            queuedRows.addAndGet(-n);
            dropped.increment(n);
            return;
        }
        queue.add(new Entry(warm, System.currentTimeMillis(), rows, predictions));
    }

    /** Rows waiting to be written (for tests). */
    int queuedRows() {
        return queuedRows.get();
    }

    private void writeLoop() {
        long maxAge = config.predictionLog().flushInterval().toNanos();
        long drainEvery = Math.min(maxAge, DRAIN_INTERVAL.toNanos());
        while (running) {
            LockSupport.parkNanos(drainEvery);
            drain();
            writeOlderThan(maxAge);
        }
        flush();
    }

    /** Drains the queue and writes every open batch. Only the writer thread calls it. */
    void flush() {
        drain();
        writeOlderThan(0);
    }

    /**
     * Moves the queued rows into their deployment's open batch, serialized, and writes each batch that
     * reaches {@code batch-size}: the request's row maps are released within {@link #DRAIN_INTERVAL}
     * of being queued, so they die young instead of being copied by every young collection until the
     * next write (which made the collections, and so the tail latency of predict, grow with the rate).
     */
    private void drain() {
        Entry e;
        while ((e = queue.poll()) != null) {
            String id = e.warm().deploymentId();
            List<FeatureInfo> features = e.warm().pipeline().features();
            for (int i = 0; i < e.rows().size(); i++) {
                Batch b = open.computeIfAbsent(id, k -> new Batch(System.nanoTime(), features));
                try {
                    b.add(e, i);
                } catch (RuntimeException ex) {
                    // the batch may hold half a row now: drop it, as a failed write would be, rather than the writer
                    open.remove(id);
                    lose(b.size() + 1, ex);
                    continue;
                }
                if (b.size() >= batchSize) {
                    write(id, open.remove(id));
                }
            }
        }
    }

    /** Writes the open batches opened at least {@code ageNanos} ago. */
    private void writeOlderThan(long ageNanos) {
        long now = System.nanoTime();
        for (var it = open.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Batch> b = it.next();
            if (now - b.getValue().openedAt >= ageNanos) {
                it.remove();
                write(b.getKey(), b.getValue());
            }
        }
    }

    private void write(String deploymentId, Batch batch) {
        int rows = batch.size();
        try {
            repository.insert(deploymentId, Instant.ofEpochMilli(batch.firstAt), Instant.ofEpochMilli(batch.lastAt), rows,
                    batch.json()).await().atMost(WRITE_TIMEOUT);
        } catch (RuntimeException ex) {
            lose(rows, ex);
            return;
        }
        queuedRows.addAndGet(-rows);
        written.increment(rows);
        if (failing) {
            LOG.info("The prediction log is written again.");
            failing = false;
        }
    }

    /** Counts {@code rows} that will not be written (logged once per failure streak). */
    private void lose(int rows, RuntimeException cause) {
        queuedRows.addAndGet(-rows);
        failed.increment(rows);
        if (!failing) {
            LOG.warnf("Could not write %d rows to the prediction log (dropped; further failures are counted in"
                    + " mlpipeline_prediction_log_rows_total{outcome=\"failed\"} until a write succeeds): %s", rows, cause.toString());
            failing = true;
        }
    }

    private void deleteExpired() {
        repository.deleteOlderThan(config.predictionLog().retention()).subscribe().with(
                n -> {
                    if (n > 0) {
                        LOG.debugf("Deleted %d expired prediction log batches", n);
                    }
                },
                failure -> LOG.debugf("Could not delete expired prediction log rows (retried at the next interval): %s", failure));
    }

    /**
     * The rows of one batch (one deployment, so one model), serialized as they arrive: one JSON array each
     * for the times, the inputs and the predictions, joined when the batch is written into
     * {@code {"at": [...], "features": [name, ...], "values": [[value, ...], ...], "predictions": [...]}}: the
     * model's feature names once, and each input as the array of its values in that order (null where the row
     * had none), about half the bytes of an object per row for titanic (53 % fewer for a 1,000-row batch).
     */
    private static final class Batch {
        final long openedAt;
        private final List<FeatureInfo> features;
        private final ByteArrayBuilder at = new ByteArrayBuilder();
        private final ByteArrayBuilder inputs = new ByteArrayBuilder();
        private final ByteArrayBuilder predictions = new ByteArrayBuilder();
        private final JsonGenerator atJson;
        private final JsonGenerator inputsJson;
        private final JsonGenerator predictionsJson;
        private int size;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;

        Batch(long openedAt, List<FeatureInfo> features) {
            this.openedAt = openedAt;
            this.features = features;
            try {
                atJson = array(at);
                inputsJson = array(inputs);
                predictionsJson = array(predictions);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private static JsonGenerator array(ByteArrayBuilder out) throws IOException {
            JsonGenerator g = JSON.createGenerator(out);
            g.writeStartArray();
            return g;
        }

        void add(Entry e, int i) {
            try {
                atJson.writeNumber(e.atMillis());
                Map<String, Object> row = e.rows().get(i);
                inputsJson.writeStartArray();
                for (FeatureInfo f : features) {
                    scalar(inputsJson, row.get(f.name()));
                }
                inputsJson.writeEndArray();
                scalar(predictionsJson, e.predictions().get(i));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            size++;
            firstAt = Math.min(firstAt, e.atMillis());
            lastAt = Math.max(lastAt, e.atMillis());
        }

        int size() {
            return size;
        }

        /** The batch as one JSON object; the batch takes no more rows afterwards. */
        String json() {
            ByteArrayBuilder names = new ByteArrayBuilder();
            try (JsonGenerator g = JSON.createGenerator(names)) {
                g.writeStartArray();
                for (FeatureInfo f : features) {
                    g.writeString(f.name());
                }
                g.writeEndArray();
                for (JsonGenerator open : List.of(atJson, inputsJson, predictionsJson)) {
                    open.writeEndArray();
                    open.close();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            StringBuilder out = new StringBuilder(at.size() + names.size() + inputs.size() + predictions.size() + 64);
            return out.append("{\"at\": ").append(utf8(at)).append(", \"features\": ").append(utf8(names)).append(", \"values\": ")
                    .append(utf8(inputs)).append(", \"predictions\": ").append(utf8(predictions)).append('}').toString();
        }

        private static String utf8(ByteArrayBuilder bytes) {
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }

        /** A value as sent (string, boolean, number); NaN, which predict reads as missing, as null. */
        private static void scalar(JsonGenerator g, Object v) throws IOException {
            switch (v) {
                case null -> g.writeNull();
                case String s -> g.writeString(s);
                case Boolean b -> g.writeBoolean(b);
                case Integer i -> g.writeNumber(i);
                case Long l -> g.writeNumber(l);
                case BigInteger bi -> g.writeNumber(bi);
                case BigDecimal bd -> g.writeNumber(bd);
                case Number n -> {
                    double d = n.doubleValue();
                    if (Double.isFinite(d)) g.writeNumber(d);
                    else
                        g.writeNull();
                }
                default -> g.writeString(String.valueOf(v));
            }
        }
    }
}
