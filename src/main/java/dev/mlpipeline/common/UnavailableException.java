package dev.mlpipeline.common;

/**
 * The service cannot answer right now, through no fault of the request (503); the response carries
 * {@code Retry-After} with {@link #retryAfterSeconds()}.
 */
public class UnavailableException extends DomainException {

    private final int retryAfterSeconds;

    public UnavailableException(String message) {
        this(message, 1);
    }

    /** @param retryAfterSeconds when the client should try again, in seconds (at least 1) */
    public UnavailableException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Seconds after which a retry may succeed: the {@code Retry-After} header of the 503. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
