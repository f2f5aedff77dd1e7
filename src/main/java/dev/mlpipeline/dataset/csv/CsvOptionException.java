package dev.mlpipeline.dataset.csv;

import java.io.Serial;

/**
 * An upload option ({@code delimiter}, {@code na_values}, {@code column_types}) is invalid, is
 * needed but missing, or contradicts the file. The message is written for the uploader and names
 * what to change; {@link #field()} is the multipart part it is about.
 */
public class CsvOptionException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates the exception.
     *
     * @param field the multipart part the problem is about, e.g. {@code column_types}
     * @param message what is wrong and what to do, for the uploader
     */
    public CsvOptionException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * Returns the part the problem is about.
     *
     * @return the multipart part name
     */
    public String field() {
        return field;
    }
}
