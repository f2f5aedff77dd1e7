package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory tabular dataset of raw string cells, as produced by the CSV reader.
 *
 * @param columns column names, in file order
 * @param rows    rows of raw cell values; each array has {@code columns.size()} entries and
 *                a {@code null} entry means "missing"
 */
public record Table(List<String> columns, List<String[]> rows) {

    /** Validates the arguments and makes the column list immutable. */
    public Table {
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(rows, "rows");
        columns = List.copyOf(columns);
    }

    /**
     * Returns the position of a column.
     *
     * @param name column name
     * @return its zero-based index, or -1 when the table has no such column
     */
    public int indexOf(String name) {
        return columns.indexOf(name);
    }

    /** @return the number of rows */
    public int size() {
        return rows.size();
    }

    /**
     * Returns one cell, treating a short row (fewer cells than columns) and an empty string as missing.
     *
     * @param row    row index
     * @param column column index
     * @return the raw cell value or {@code null} when missing
     */
    public String cell(int row, int column) {
        String[] r = rows.get(row);
        if (column >= r.length) {
            return null;
        }
        String v = r[column];
        return v == null || v.isEmpty() ? null : v;
    }
}
