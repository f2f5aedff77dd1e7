package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes equal cells of a column one {@link String} while a table is read: a categorical or small-integer column repeats
 * a few values on every row, and a String per cell costs about 48 bytes of heap (a 1 M-row table of 8 columns held
 * 400 MB of them; issue 18). Per column it remembers the first {@value #MAX_VALUES} distinct values; a column with
 * more (a measurement, an identifier) keeps its other cells as parsed. One instance per table, one thread.
 */
public final class CellInterner {

    /** Distinct values remembered per column at most. */
    public static final int MAX_VALUES = 4096;

    private final List<Map<String, String>> seen;

    /** @param columns the table's column count (cells beyond it are left as they are) */
    public CellInterner(int columns) {
        seen = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) seen.add(new HashMap<>());
    }

    /**
     * @param row a parsed row; its cells are replaced in place by equal Strings seen before in the same column
     * @return the same row
     */
    public String[] share(String[] row) {
        for (int c = 0; c < row.length && c < seen.size(); c++) {
            String v = row[c];
            if (v == null) continue;
            Map<String, String> values = seen.get(c);
            String known = values.get(v);
            if (known != null) {
                row[c] = known;
            } else if (values.size() < MAX_VALUES) {
                values.put(v, v);
            }
        }
        return row;
    }
}
