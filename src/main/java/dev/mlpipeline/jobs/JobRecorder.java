package dev.mlpipeline.jobs;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.DatabaseOutage;
import dev.mlpipeline.common.MlpipelineConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The database work a running job cannot do without — the reads that start it and the write of its
 * end — repeated with backoff through a database outage, for at most
 * {@code mlpipeline.jobs.completion-retry-window}. A fit that needs no database is never failed because
 * the database was away while it ran; its result waits in memory until it can be written.
 *
 * <p>Only idempotent work goes through here: {@link JobQueue#complete} and {@link JobQueue#fail} may be
 * repeated after an attempt whose commit went through but whose acknowledgement was lost.
 */
@ApplicationScoped
public class JobRecorder {

    private static final Logger LOG = Logger.getLogger(JobRecorder.class);

    @Inject
    JobQueue queue;

    @Inject
    MlpipelineConfig settings;

    /**
     * Database work a job needs before it can run (reading its spec and dataset, clearing what an
     * earlier run left), retried through an outage. Only for reads and idempotent writes.
     *
     * @param action what is done, for the log ("read the spec of job trn_…")
     */
    public <T> Uni<T> beforeRun(String action, Supplier<Uni<T>> work) {
        return retried(action, work);
    }

    /**
     * Records the end of a successful fit ({@link JobQueue#complete}), retried through an outage.
     *
     * @return the job's version, or empty when the job was no longer this replica's to complete
     */
    public Uni<Optional<Integer>> complete(JobExecution execution, JobQueue.Completion completion,
            Function<SqlConnection, Uni<Void>> alsoInTransaction) {
        return retried("write the end of job " + execution.jobId(), () -> queue.complete(execution, completion, alsoInTransaction))
                .invoke(version -> version.ifPresent(v -> execution.markCompleted()));
    }

    /** {@link #complete(JobExecution, JobQueue.Completion, Function)} with nothing else to write. */
    public Uni<Optional<Integer>> complete(JobExecution execution, JobQueue.Completion completion) {
        return retried("write the end of job " + execution.jobId(), () -> queue.complete(execution, completion))
                .invoke(version -> version.ifPresent(v -> execution.markCompleted()));
    }

    /**
     * Records the end of a job that produces no model version (a batch prediction) with {@code write},
     * an idempotent statement that is true when the job was still this replica's to complete; retried
     * through an outage.
     *
     * @return whether the job was marked COMPLETED
     */
    public Uni<Boolean> completeWith(JobExecution execution, Supplier<Uni<Boolean>> write) {
        return retried("write the end of job " + execution.jobId(), write)
                .invoke(done -> {
                    if (done) {
                        execution.markCompleted();
                    }
                });
    }

    /** Records the failure of a job ({@link JobQueue#fail}), retried through an outage. */
    public Uni<Boolean> fail(JobExecution execution, String error) {
        return retried("write the failure of job " + execution.jobId(),
                () -> queue.fail(execution.kind(), execution.jobId(), execution.owner(), error));
    }

    private <T> Uni<T> retried(String what, Supplier<Uni<T>> attempt) {
        AtomicInteger failures = new AtomicInteger();
        var window = settings.jobs().completionRetryWindow();
        return DatabaseOutage.retryWithin(window, () -> attempt.get()
                .onFailure(DatabaseOutage::isOutage).invoke(failure -> {
                    if (failures.getAndIncrement() == 0) {
                        LOG.warnf("Could not %s: the database is unreachable (%s); retrying for up to %s",
                                what, DatabaseOutage.describe(failure), window.toSeconds() + " s");
                    }
                }))
                .invoke(() -> {
                    if (failures.get() > 0) {
                        LOG.infof("Could %s after %d failed attempt(s)", what, failures.get());
                    }
                });
    }
}
