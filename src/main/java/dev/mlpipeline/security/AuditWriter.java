package dev.mlpipeline.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Writes audit events off the request's path: a request only appends its event to an in-memory
 * queue; a timer ({@code mlpipeline.security.audit-flush-interval}, 200 ms) and a full batch
 * ({@code audit-batch-size}) write the queue to PostgreSQL, one batched INSERT at a time. A batch that fails
 * (the database is down) goes back to the head of the queue and is written by a later flush, in order;
 * nothing is dropped while the process lives (a warning is logged once per outage). At shutdown the
 * queue is written before the database pool closes. What a killed process had queued (at most one
 * flush interval of events, normally) is lost: the price of keeping audit writes off the request path.
 */
@Singleton
public class AuditWriter {

    private static final Logger LOG = Logger.getLogger(AuditWriter.class);

    @Inject
    AuditRepository repository;

    @Inject
    MlpipelineConfig config;

    @Inject
    Vertx vertx;

    private final ConcurrentLinkedDeque<AuditEvent> queue = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private volatile boolean failing;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.security().auditFlushInterval().toMillis(), id -> flush());
    }

    /** Writes what is queued, waiting up to 10 s; runs before the datasource closes. */
    void stop(@Observes @jakarta.annotation.Priority(1) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
            if (flushing.compareAndSet(false, true)) {
                try {
                    writeBatch().await().atMost(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.warnf("Could not write %d audit events at shutdown: %s", queue.size(), e.getMessage());
                    return;
                } finally {
                    flushing.set(false);
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Queues an event; returns at once. */
    public void append(AuditEvent event) {
        queue.add(event);
        if (queue.size() >= config.security().auditBatchSize()) {
            flush();
        }
    }

    /** Events queued and not yet written (for metrics and tests). */
    public int pending() {
        return queue.size();
    }

    /** Starts writing the queue unless a write is in progress; each batch is followed by the next until the queue is empty. */
    void flush() {
        if (queue.isEmpty() || !flushing.compareAndSet(false, true)) {
            return;
        }
        writeBatch().subscribe().with(written -> {
            flushing.set(false);
            if (written > 0 && !queue.isEmpty()) {
                flush();
            }
        }, failure -> flushing.set(false));
    }

    /** Writes one batch from the head of the queue; on failure puts it back, in order. */
    private Uni<Integer> writeBatch() {
        int max = config.security().auditBatchSize();
        List<AuditEvent> batch = new ArrayList<>(Math.min(max, queue.size()));
        AuditEvent e;
        while (batch.size() < max && (e = queue.poll()) != null) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return repository.append(batch).map(ignored -> {
            if (failing) {
                failing = false;
                LOG.infof("Audit events are written again (%d still queued)", queue.size());
            }
            return batch.size();
        }).onFailure().recoverWithUni(failure -> {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
            if (!failing) {
                failing = true;
                LOG.warnf("Cannot write audit events (%s); %d queued, retrying every %d ms", failure.getMessage(), queue.size(),
                        config.security().auditFlushInterval().toMillis());
            }
            return Uni.createFrom().failure(failure);
        });
    }
}
