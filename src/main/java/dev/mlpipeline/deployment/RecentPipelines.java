package dev.mlpipeline.deployment;

import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.FittedPipeline;

/**
 * The last few fitted pipelines this replica built or loaded, keyed by the sha256 of their
 * artifact, at most {@code mlpipeline.deployments.recent-models} of them (a Caffeine cache bounded
 * by count). Deserializing a large model (a 100-tree forest on adult is about 20 MB of Java
 * serialization) takes seconds; a deploy of a version this replica just trained or recently
 * served reuses the object instead. The artifact bytes are still read and their sha256 checked
 * against the stored one before the cached object is used (see {@link ModelLoader}). The training
 * and tuning runners remember the pipelines they fit.
 */
@Singleton
public class RecentPipelines {

    private final Cache<String, FittedPipeline> bySha256;

    @Inject
    public RecentPipelines(MlpipelineConfig config) {
        this(config.deployments().recentModels());
    }

    RecentPipelines(int capacity) {
        this.bySha256 = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    /** Keeps {@code pipeline} as the object serialized to the artifact of hex digest {@code sha256}. */
    public void remember(String sha256, FittedPipeline pipeline) {
        bySha256.put(sha256, pipeline);
    }

    /** The pipeline remembered for that artifact digest, if still held. */
    public Optional<FittedPipeline> find(String sha256) {
        return Optional.ofNullable(bySha256.getIfPresent(sha256));
    }
}
