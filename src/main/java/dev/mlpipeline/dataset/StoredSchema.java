package dev.mlpipeline.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mlpipeline.dataset.csv.CsvFormat;
import dev.mlpipeline.pipeline.ColumnType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What training needs from the {@code dataset.columns} JSON (the stored {@link Dataset.Schema}, in
 * Hibernate's own Jackson naming): the column types in file order, how to read the file and the
 * likely identifiers. A dataset stored before the format was recorded reads as {@link
 * CsvFormat#LEGACY}.
 *
 * @param types column name to type, in file order
 * @param format how to read the stored bytes
 * @param likelyIdentifiers columns flagged as likely identifiers
 */
record StoredSchema(Map<String, ColumnType> types, CsvFormat format, Set<String> likelyIdentifiers) {

    static StoredSchema read(JsonObject json) {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        Set<String> identifiers = new LinkedHashSet<>();
        json.getJsonArray("columns").forEach(c -> {
            JsonObject column = (JsonObject) c;
            String name = column.getString("name");
            types.put(name, DatasetColumn.NUMERIC.equals(column.getString("type")) ? ColumnType.NUMERIC : ColumnType.CATEGORICAL);
            if (Boolean.TRUE.equals(column.getBoolean("likelyIdentifier"))) {
                identifiers.add(name);
            }
        });
        JsonObject format = json.getJsonObject("format");
        CsvFormat csv = CsvFormat.LEGACY;
        if (format != null) {
            JsonArray na = format.getJsonArray("naValues");
            List<String> naValues = na == null ? List.of() : na.stream().map(String::valueOf).toList();
            csv = new CsvFormat(format.getString("delimiter").charAt(0), Boolean.TRUE.equals(format.getBoolean("trim")), naValues);
        }
        return new StoredSchema(Collections.unmodifiableMap(types), csv, Collections.unmodifiableSet(identifiers));
    }
}
