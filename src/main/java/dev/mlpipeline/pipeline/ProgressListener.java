package dev.mlpipeline.pipeline;

/** Receives training progress. Calls may come from worker threads; implementations must be thread-safe and cheap. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = fraction -> {
    };

    /** @param fraction completed fraction in [0, 1], non-decreasing */
    void onProgress(double fraction);

    /**
     * A new phase of the work begins ({@link Trainer#PHASE_FIT}, {@link Trainer#PHASE_EVALUATE}); the
     * previous one, if any, has ended. Called from the training thread; ignored by default.
     */
    default void onPhase(String phase) {
    }
}
