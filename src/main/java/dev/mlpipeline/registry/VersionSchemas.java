package dev.mlpipeline.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.deployment.ModelCache;
import dev.mlpipeline.deployment.ModelLoader;
import dev.mlpipeline.deployment.RecentPipelines;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.ModelVersionSchemaResponse;
import io.smallrye.mutiny.Uni;

/**
 * The input schema of a model version, read from its fitted pipeline: the active deployment's warm
 * pipeline when it is that version, else one this replica built or loaded recently, else the artifact
 * itself (checked, deserialized and dry-run as for a deploy).
 */
@ApplicationScoped
public class VersionSchemas {

    @Inject
    ModelRegistryService registry;

    @Inject
    ModelCache cache;

    @Inject
    RecentPipelines recent;

    @Inject
    ModelLoader loader;

    /**
     * @param datasetId may be null when the model type has versions on one dataset only
     * @throws dev.mlpipeline.common.NotFoundException for an unknown model type or version
     * @throws dev.mlpipeline.common.InvalidInputException when {@code dataset_id} is needed
     * @throws dev.mlpipeline.common.ConflictException when the artifact cannot be loaded
     */
    public Uni<ModelVersionSchemaResponse> getModelVersionSchema(String modelType, int version, String datasetId) {
        return registry.getModelVersion(modelType, version, datasetId)
                .flatMap(v -> pipeline(v).map(p -> toResponse(v, p)));
    }

    private Uni<FittedPipeline> pipeline(ModelVersionLineageResponse v) {
        var active = cache.active().filter(w -> w.jobId().equals(v.jobId()));
        if (active.isPresent()) {
            return Uni.createFrom().item(active.get().pipeline());
        }
        var known = recent.find(v.artifact().sha256());
        if (known.isPresent()) {
            return Uni.createFrom().item(known.get());
        }
        JobKind kind = JobKind.ofJobId(v.jobId()).orElseThrow();
        return loader.load(kind, v.jobId());
    }

    private static ModelVersionSchemaResponse toResponse(ModelVersionLineageResponse v, FittedPipeline p) {
        var features = p.inputSchema().stream().map(f -> new ModelVersionSchemaResponse.Feature(f.name(),
                f.type().wireName(), f.levels(), f.min(), f.max(), f.missingRate(), f.imputedWith())).toList();
        return new ModelVersionSchemaResponse(v.modelType(), v.version(), v.dataset().id(), v.jobId(), v.source(),
                v.task(), v.targetColumn(), p.labels(), features);
    }
}
