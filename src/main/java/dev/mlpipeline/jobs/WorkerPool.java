package dev.mlpipeline.jobs;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mlpipeline.common.MlpipelineConfig;

/**
 * The bounded pool on which CPU-heavy work runs: model fitting, cross-validation, artifact
 * (de)serialization, large predictions. Never the event loop, never inside a transaction.
 */
@Singleton
public class WorkerPool implements Executor {

    private final ThreadPoolExecutor executor;

    @Inject
    public WorkerPool(MlpipelineConfig config) {
        int size = Math.max(1, config.jobs().workerCount());
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "mlpipeline-worker-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    public int size() {
        return executor.getMaximumPoolSize();
    }

    @PreDestroy
    void shutdown() {
        executor.shutdownNow();
    }
}
