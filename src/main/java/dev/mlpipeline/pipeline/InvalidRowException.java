package dev.mlpipeline.pipeline;

/** A prediction input row holds a value of the wrong type for a feature. */
public class InvalidRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rowIndex;
    private final String field;
    private final String reason;

    /**
     * @param rowIndex zero-based index of the row in the request
     * @param field    feature name
     * @param message  user-facing explanation (without the row/field prefix, which is added)
     */
    public InvalidRowException(int rowIndex, String field, String message) {
        super("row " + rowIndex + ", field '" + field + "': " + message);
        this.rowIndex = rowIndex;
        this.field = field;
        this.reason = message;
    }

    /** @return zero-based index of the offending row */
    public int rowIndex() {
        return rowIndex;
    }

    /** @return what is wrong with the value, without the row/field prefix of the message */
    public String reason() {
        return reason;
    }

    /** @return the offending feature name */
    public String field() {
        return field;
    }
}
