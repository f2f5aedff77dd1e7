package dev.mlpipeline.registry;

/**
 * Optional filters of the registry listing; a null component does not filter.
 *
 * @param source        "training" or "tuning": only versions from that job table
 * @param versionsLimit at most this many versions per entry (its newest ones); null: all of them
 */
public record ModelFilter(String datasetId, String modelType, String source, Integer versionsLimit) {

    public static final ModelFilter NONE = new ModelFilter(null, null, null, null);

    public ModelFilter(String datasetId, String modelType, String source) {
        this(datasetId, modelType, source, null);
    }
}
