package dev.mlpipeline.pipeline;

/** Training stopped because its {@link CancellationToken} was cancelled. */
public class TrainingCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a default message. */
    public TrainingCancelledException() {
        super("training was cancelled");
    }

    /** @param cause the exception this one replaces (used when re-thrown across threads) */
    public TrainingCancelledException(Throwable cause) {
        super("training was cancelled", cause);
    }
}
