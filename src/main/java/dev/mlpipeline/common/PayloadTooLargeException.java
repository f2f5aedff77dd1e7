package dev.mlpipeline.common;

/** The request body is larger than the configured limit (413). */
public class PayloadTooLargeException extends DomainException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
