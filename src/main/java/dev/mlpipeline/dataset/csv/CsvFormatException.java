package dev.mlpipeline.dataset.csv;

import java.io.Serial;

/**
 * The input is not a well-formed CSV file of the kind this package accepts.
 *
 * <p>The message is written for the person who uploaded the file: it says what is wrong and, where
 * it applies, on which physical line, so that it can be returned as-is as an error detail (for
 * example the detail of an HTTP 400 response).
 */
public class CsvFormatException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The 1-based line of the problem, or 0. */
    private final long line;

    /**
     * Creates an exception that is not tied to one line of the file.
     *
     * @param message what is wrong, phrased for the person who uploaded the file
     */
    public CsvFormatException(String message) {
        this(message, 0);
    }

    /**
     * Creates an exception about a given line.
     *
     * @param message what is wrong, phrased for the person who uploaded the file; it should already
     *     mention the line number
     * @param line the 1-based physical line the problem was found on, or 0 if not line-specific
     */
    public CsvFormatException(String message, long line) {
        super(message);
        this.line = line;
    }

    /**
     * Returns the line the problem was found on.
     *
     * @return the 1-based physical line number, or 0 if the problem is not tied to one line
     */
    public long line() {
        return line;
    }
}
