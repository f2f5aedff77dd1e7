package dev.mlpipeline.registry;

import java.util.List;

/**
 * Optional filters of the registry listing; a null component does not filter.
 *
 * @param source          "training" or "tuning": only versions from that job table
 * @param versionsLimit   at most this many versions per entry (its newest ones); null: all of them
 * @param tags            only versions carrying every one of these tags (empty: no tag filter)
 * @param includeArchived true to list archived versions too; false (the default) leaves them out
 */
public record ModelFilter(String datasetId, String modelType, String source, Integer versionsLimit, List<TagFilter> tags,
        boolean includeArchived) {

    public static final ModelFilter NONE = new ModelFilter(null, null, null, null);

    public ModelFilter {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public ModelFilter(String datasetId, String modelType, String source, Integer versionsLimit) {
        this(datasetId, modelType, source, versionsLimit, List.of(), false);
    }

    public ModelFilter(String datasetId, String modelType, String source) {
        this(datasetId, modelType, source, null);
    }

    /**
     * One {@code ?tag=} condition: {@code key:value} (the version's tag {@code key} equals {@code value})
     * or {@code key} alone (the version has tag {@code key}, whatever its value).
     *
     * @param value null for the key-only form
     */
    public record TagFilter(String key, String value) {
    }
}
