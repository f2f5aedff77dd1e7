package dev.mlpipeline.common;

/** The service cannot answer right now, through no fault of the request (503). */
public class UnavailableException extends DomainException {

    public UnavailableException(String message) {
        super(message);
    }
}
