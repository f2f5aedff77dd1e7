/**
 * Reading and profiling uploaded CSV files, in plain Java with no framework.
 *
 * <ul>
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvReader}: a fast streaming RFC 4180 parser over raw
 *       UTF-8 bytes, returning records as {@code String[]} with {@code null} for empty fields.
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvProfiler} and {@link
 *       dev.mlpipeline.dataset.csv.CsvProfile#of(java.io.InputStream)}: one pass that validates a
 *       whole file (header, field counts) and computes its SHA-256, size, row count and, per
 *       column, type, missing and distinct counts, within bounded memory.
 *   <li>{@link dev.mlpipeline.dataset.csv.CsvFormatException}: every problem with the content,
 *       with a message meant for the uploader and the line it is on; {@link
 *       dev.mlpipeline.dataset.csv.CsvTooLargeException}: the byte limit was passed.
 * </ul>
 */
package dev.mlpipeline.dataset.csv;
