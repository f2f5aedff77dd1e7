package dev.mlpipeline.common;

import java.util.List;

/**
 * Base of every failure a service reports to a client. Subclasses choose the HTTP status by
 * their parent ({@link NotFoundException} 404, {@link ConflictException} 409,
 * {@link InvalidInputException} 400, {@link PayloadTooLargeException} 413); {@link ProblemMapper}
 * turns them into {@code application/problem+json}. The message is the problem's {@code detail}
 * and is written for an API user: it says what to fix.
 */
public abstract class DomainException extends RuntimeException {

    private final List<FieldError> errors;

    protected DomainException(String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.errors = List.copyOf(errors);
    }

    protected DomainException(String message) {
        this(message, List.of());
    }

    /** Field-level problems, empty when the failure is not about particular fields. */
    public List<FieldError> errors() {
        return errors;
    }

    /** A problem with one named field of the request ({@code field} uses the JSON names). */
    public record FieldError(String field, String message) {
    }
}
