/**
 * Reading and profiling uploaded CSV files, in plain Java with no framework.
 *
 * <ul>
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvReader}: a fast streaming RFC 4180 parser over raw
 *       UTF-8 bytes (comma, semicolon, tab or pipe; optional trimming of unquoted fields),
 *       returning records as {@code String[]} with {@code null} for empty fields.
 *   <li>{@link dev.mlpipeline.dataset.csv.DelimiterDetector}: tells the separator from the header
 *       and first lines.
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvProfiler} and {@link
 *       dev.mlpipeline.dataset.csv.CsvProfile#of(java.io.InputStream)}: one pass that validates a
 *       whole file (header, field counts) and computes its SHA-256, size, row count and, per
 *       column, type, missing-value markers, placeholders, missing and distinct counts and warnings,
 *       within bounded memory, under the {@link dev.mlpipeline.dataset.csv.CsvOptions} of the upload.
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvFormat} and {@link
 *       dev.mlpipeline.dataset.csv.RecordCleaner}: how a stored file is read again, with the values
 *       the profile counted.
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvFormatException}: every problem with the content, with
 *       a message meant for the uploader and the line it is on; {@link
 *       dev.mlpipeline.dataset.csv.CsvOptionException}: an upload option that is invalid, missing or
 *       contradicted by the file.
 * </ul>
 */
package dev.mlpipeline.dataset.csv;
