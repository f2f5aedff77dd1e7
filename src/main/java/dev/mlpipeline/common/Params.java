package dev.mlpipeline.common;

/**
 * Parsing of optional query parameters. JAX-RS answers 404 when a typed query parameter does
 * not convert; parameters are taken as strings and parsed here so that a bad value is a 400
 * naming the parameter.
 */
public final class Params {

    private Params() {
    }

    public static int intParam(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.forField(name, "'" + value + "' is not an integer");
        }
        if (parsed < min || parsed > max) {
            throw InvalidInputException.forField(name, "must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    /**
     * @return null when absent or blank (the caller's default), else true or false
     * @throws InvalidInputException naming the parameter for anything but true or false (any letter case)
     */
    public static Boolean booleanParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw InvalidInputException.forField(name, "'" + value + "' is not true or false");
        };
    }

    /**
     * @return null when absent or blank (the caller's default), else the instant
     * @throws InvalidInputException naming the parameter when the value is not an ISO-8601 instant
     *                               ({@code 2026-12-01T03:00:00Z}, or with an offset such as {@code +01:00})
     */
    public static java.time.Instant instantParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw InvalidInputException.forField(name, "'" + value + "' is not an ISO-8601 instant such as 2026-12-01T03:00:00Z");
        }
    }
}
