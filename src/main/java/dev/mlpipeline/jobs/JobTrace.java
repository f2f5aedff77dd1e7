package dev.mlpipeline.jobs;

import java.util.concurrent.Callable;

import dev.mlpipeline.common.Tracing;
import dev.mlpipeline.pipeline.ProgressListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The spans of one job run on this replica: a root span ({@code training_job} or {@code tuning_job})
 * and, under it, one span per phase in sequence: {@value #LOAD_DATA}, then for a tuning job
 * {@value #SEARCH} with one {@value #TRIAL} span per configuration, then {@code fit}, {@code evaluate}
 * and {@value #STORE}. A phase lasts until the next one begins or the job ends, so runners only mark
 * where phases begin ({@link #phase}); the fit and evaluate phases are marked by the trainer itself
 * through {@link #listener}.
 *
 * <p>Parents are passed explicitly, never taken from the current context: the work hops between the
 * scheduler's event loop and worker threads. Safe for use from any thread.
 */
public final class JobTrace {

    public static final String LOAD_DATA = "load_data";
    public static final String SEARCH = "search";
    public static final String TRIAL = "trial";
    public static final String STORE = "store";

    static final AttributeKey<Long> TRIAL_INDEX = AttributeKey.longKey("mlpipeline.trial.index");

    /** A trace that records nothing (a job not started by the scheduler, as in some tests). */
    static final JobTrace NONE = new JobTrace(null, null);

    private final Tracing tracing;
    private final Span root;
    private Span phase;
    private Context phaseContext;

    JobTrace(Tracing tracing, Span root) {
        this.tracing = tracing;
        this.root = root;
        this.phaseContext = root == null ? null : Context.root().with(root);
    }

    /** Ends the current phase's span, if any, and starts the span of {@code name}. */
    public synchronized void phase(String name) {
        if (tracing == null) {
            return;
        }
        if (phase != null) {
            phase.end();
        }
        phase = tracing.start(name, Attributes.empty(), Context.root().with(root));
        phaseContext = Context.root().with(phase);
    }

    /** {@code progress}, which also turns the trainer's phases into spans. */
    public ProgressListener listener(ProgressListener progress) {
        return new ProgressListener() {
            @Override
            public void onProgress(double fraction) {
                progress.onProgress(fraction);
            }

            @Override
            public void onPhase(String name) {
                phase(name);
            }
        };
    }

    /** Runs one tuning trial in a {@value #TRIAL} span under the current phase. */
    public <T> T trial(int index, Callable<T> work) throws Exception {
        if (tracing == null) {
            return work.call();
        }
        Context parent;
        synchronized (this) {
            parent = phaseContext;
        }
        Span span = tracing.start(TRIAL, Attributes.of(TRIAL_INDEX, (long) index), parent);
        try {
            T result = work.call();
            span.end();
            return result;
        } catch (Exception | Error e) {
            Tracing.end(span, e);
            throw e;
        }
    }

    /** Ends the current phase and the root; a failure (not a cancellation) is recorded on both. */
    synchronized void end(String modelType, String outcome, Throwable failure) {
        if (tracing == null) {
            return;
        }
        Throwable recorded = "cancelled".equals(outcome) ? null : failure;
        if (phase != null) {
            Tracing.end(phase, recorded);
            phase = null;
        }
        if (modelType != null) {
            root.setAttribute(Tracing.MODEL_TYPE, modelType);
        }
        root.setAttribute(Tracing.OUTCOME, outcome);
        Tracing.end(root, recorded);
    }
}
