package dev.mlpipeline.common;

/** The request is valid but conflicts with the current state of a resource (409). */
public class ConflictException extends DomainException {

    public ConflictException(String message) {
        super(message);
    }
}
