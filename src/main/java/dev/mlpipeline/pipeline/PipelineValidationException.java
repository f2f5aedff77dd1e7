package dev.mlpipeline.pipeline;

/**
 * A request (training spec, hyperparameters, preprocessing, dataset/column choice) is invalid.
 * The message is written for the API user; {@link #field()} names the offending request field
 * (e.g. {@code target_column}, {@code hyperparameters.n_trees}).
 */
public class PipelineValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field   the request field at fault (snake_case path)
     * @param message user-facing explanation
     */
    public PipelineValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the request field at fault */
    public String field() {
        return field;
    }
}
