package dev.mlpipeline.dataset.csv;

/**
 * Something the uploader should know about how a file was read: a value changed, a value read as
 * missing, a type chosen for a reason that is not obvious, a column training leaves out.
 *
 * @param column the column it is about (its name as read), or {@code null} for the whole file
 * @param code a stable key: {@code trimmed}, {@code missing_markers}, {@code placeholders}, {@code
 *     leading_zeros}, {@code not_numeric}, {@code declared_type} or {@code likely_identifier}
 * @param message the explanation, for a person
 */
public record CsvWarning(String column, String code, String message) {
}
