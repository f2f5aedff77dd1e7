package dev.mlpipeline.registry;

/**
 * Optional filters of the registry listing; a null component does not filter.
 *
 * @param source "training" or "tuning": only versions from that job table
 */
public record ModelFilter(String datasetId, String modelType, String source) {

    public static final ModelFilter NONE = new ModelFilter(null, null, null);
}
