package dev.mlpipeline.jobs;

import io.smallrye.mutiny.Uni;

/** Runs claimed jobs of one kind (training, tuning). Implementations are CDI beans. */
public interface JobHandler {

    JobKind kind();

    /**
     * Runs a job that this replica has just claimed (status RUNNING). The handler completes it
     * through {@link JobRecorder#complete}, which rides out a database outage; any failure it emits
     * marks the job FAILED with the failure's message, except a cancellation and an outage that
     * outlasted {@code mlpipeline.jobs.completion-retry-window} (the job is run again then).
     */
    Uni<Void> run(JobExecution execution);
}
