package dev.mlpipeline.dataset.csv;

import java.io.Serial;

/**
 * The input is larger than the configured byte limit. Thrown as soon as the limit is passed, so the
 * rest of the input is never read.
 */
public class CsvTooLargeException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The limit that was exceeded, in bytes. */
    private final long maxBytes;

    /**
     * Creates the exception.
     *
     * @param maxBytes the limit that was exceeded, in bytes
     */
    public CsvTooLargeException(long maxBytes) {
        super("the file is larger than the limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /**
     * Returns the limit that was exceeded.
     *
     * @return the maximum number of bytes allowed
     */
    public long maxBytes() {
        return maxBytes;
    }
}
