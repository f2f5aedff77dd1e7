package dev.mlpipeline.jobs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mlpipeline.common.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;

/**
 * The {@link JobTrace}s of the jobs running on this replica: the scheduler starts and ends them, the
 * runners mark their phases. A job's root span starts a trace of its own (the job runs long after the
 * request that submitted it has been answered); its id is in {@code mlpipeline.job.id}.
 */
@Singleton
public class JobTracing {

    @Inject
    Tracing tracing;

    private final ConcurrentMap<String, JobTrace> traces = new ConcurrentHashMap<>();

    /** Starts the root span of a job this replica has just claimed. */
    void started(JobExecution execution) {
        Attributes attributes = Attributes.of(Tracing.JOB_ID, execution.jobId(), Tracing.JOB_KIND, execution.kind().wireName());
        traces.put(execution.jobId(), new JobTrace(tracing,
                tracing.start(execution.kind().wireName() + "_job", attributes, Context.root())));
    }

    /** The trace of a running job; one that records nothing if the scheduler did not start it. */
    public JobTrace of(JobExecution execution) {
        return traces.getOrDefault(execution.jobId(), JobTrace.NONE);
    }

    /** Ends the trace of a job, {@code failure} being null when it completed. */
    void finished(JobExecution execution, Throwable failure) {
        JobTrace trace = traces.remove(execution.jobId());
        if (trace != null) {
            trace.end(execution.modelType(), JobMetrics.outcome(execution, failure), failure);
        }
    }
}
