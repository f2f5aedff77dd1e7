package dev.mlpipeline.pipeline;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * One input feature of a fitted pipeline.
 *
 * @param name       column name (the key expected in prediction rows)
 * @param type       numeric or categorical
 * @param categories for categorical features, the levels seen in training (sorted); empty for numeric
 */
public record FeatureInfo(String name, ColumnType type, List<String> categories) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Copies the category list. */
    public FeatureInfo {
        categories = categories == null ? List.of() : List.copyOf(categories);
    }
}
