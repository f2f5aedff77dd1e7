package dev.mlpipeline.pipeline;

/** The model type exists but cannot run on this machine (every catalog type is pure Java today, so none is). */
public class ModelUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the catalog's {@link ModelType#detail()}, telling how to fix it */
    public ModelUnavailableException(String message) {
        super(message);
    }
}
