package dev.mlpipeline.jobs;

import java.util.concurrent.atomic.AtomicLong;

import dev.mlpipeline.pipeline.CancellationToken;
import dev.mlpipeline.pipeline.ProgressListener;

/**
 * A job while it runs on this replica: the fit reports progress here (from worker threads) and
 * polls {@link #isCancelled()}; the scheduler's heartbeat writes the progress to the database and
 * sets the cancel flag when the job is no longer RUNNING there.
 */
public final class JobExecution implements ProgressListener, CancellationToken {

    private final JobKind kind;
    private final String jobId;
    private final String owner;
    private final AtomicLong progressBits = new AtomicLong(Double.doubleToLongBits(0));
    private volatile boolean cancelled;
    private volatile boolean completed;
    private volatile String modelType;

    /** @param owner the replica running it, as written to {@code claimed_by} */
    public JobExecution(JobKind kind, String jobId, String owner) {
        this.kind = kind;
        this.jobId = jobId;
        this.owner = owner;
    }

    public JobKind kind() {
        return kind;
    }

    public String jobId() {
        return jobId;
    }

    /** The replica running the job ({@code claimed_by}): every write about the job is conditional on it. */
    public String owner() {
        return owner;
    }

    /** The model type of the job, once its runner has read it (null before); for metrics and spans. */
    public String modelType() {
        return modelType;
    }

    /** Called by the runner when it has read the job's spec. */
    public void modelType(String modelType) {
        this.modelType = modelType;
    }

    @Override
    public void onProgress(double fraction) {
        double clamped = Math.max(0, Math.min(1, fraction));
        progressBits.accumulateAndGet(Double.doubleToLongBits(clamped),
                (current, next) -> Double.longBitsToDouble(next) > Double.longBitsToDouble(current) ? next : current);
    }

    public double progress() {
        return Double.longBitsToDouble(progressBits.get());
    }

    /** True once the job's end was written as COMPLETED (with its version) by this execution. */
    public boolean isCompleted() {
        return completed;
    }

    /** Called when the job's COMPLETED row is written; a heartbeat after that may still mark it cancelled. */
    void markCompleted() {
        completed = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}
