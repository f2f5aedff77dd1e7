package dev.mlpipeline.pipeline;

/** Polled by long-running training between units of work (trees, iterations, folds). */
@FunctionalInterface
public interface CancellationToken {
    /** A token that is never cancelled. */
    CancellationToken NONE = () -> false;

    /** @return true when the work should stop as soon as possible */
    boolean isCancelled();
}
