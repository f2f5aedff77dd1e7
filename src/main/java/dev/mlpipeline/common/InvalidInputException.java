package dev.mlpipeline.common;

import java.util.List;

/** The request itself is wrong: a field, a parameter or an uploaded file (400). */
public class InvalidInputException extends DomainException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, List<FieldError> errors) {
        super(message, errors);
    }

    /** One field is wrong; the detail and the single field error carry the same message. */
    public static InvalidInputException forField(String field, String message) {
        return new InvalidInputException(field + ": " + message, List.of(new FieldError(field, message)));
    }
}
