package dev.mlpipeline.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mlpipeline.pipeline.FittedPipeline;

/**
 * The last few fitted pipelines this replica built or loaded, keyed by the sha256 of their
 * artifact. Deserializing a large model (a 100-tree forest on adult is about 20 MB of Java
 * serialization) takes seconds; a deploy of a version this replica just trained or recently
 * served reuses the object instead. The artifact bytes are still read and their sha256 checked
 * against the stored one before the cached object is used (see ModelLoader).
 */
@Singleton
public class RecentPipelines {

    private final Map<String, FittedPipeline> bySha256;

    public RecentPipelines(@ConfigProperty(name = "mlpipeline.deployments.recent-models", defaultValue = "4") int capacity) {
        this.bySha256 = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FittedPipeline> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String sha256, FittedPipeline pipeline) {
        bySha256.put(sha256, pipeline);
    }

    public synchronized Optional<FittedPipeline> find(String sha256) {
        return Optional.ofNullable(bySha256.get(sha256));
    }
}
