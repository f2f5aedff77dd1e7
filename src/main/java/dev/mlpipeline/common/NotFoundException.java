package dev.mlpipeline.common;

/** The named resource does not exist (404). */
public class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException of(String kind, String id) {
        return new NotFoundException(kind + " '" + id + "' does not exist");
    }
}
