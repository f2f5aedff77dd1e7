package dev.mlpipeline.dataset.csv;

import java.util.List;
import java.util.Set;

import dev.mlpipeline.pipeline.ColumnType;

/**
 * Turns the records of a stored file into the values its profile counted: a missing-value marker
 * becomes {@code null} in every column, and so does any other non-number in a numeric column (the
 * profile only let placeholders through there). Categorical values are otherwise kept exactly as
 * read. Stateless after construction; thread-safe.
 */
public final class RecordCleaner {

    private final Set<String> na;
    private final boolean[] numeric;

    /**
     * Creates a cleaner.
     *
     * @param format how the file was read
     * @param types the column types, in file order
     */
    public RecordCleaner(CsvFormat format, List<ColumnType> types) {
        this.na = format.naSet();
        this.numeric = new boolean[types.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = types.get(i) == ColumnType.NUMERIC;
        }
    }

    /**
     * Cleans one record in place.
     *
     * @param record the fields as {@link CsvReader#next()} returned them
     * @return the same array
     */
    public String[] clean(String[] record) {
        for (int i = 0; i < record.length; i++) {
            String v = record[i];
            if (v == null) {
                continue;
            }
            if (i < numeric.length && numeric[i] ? !DecimalRecognizer.isDecimal(v) : na.contains(v)) {
                record[i] = null;
            }
        }
        return record;
    }
}
