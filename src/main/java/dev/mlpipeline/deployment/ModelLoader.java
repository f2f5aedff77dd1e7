package dev.mlpipeline.deployment;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.Offload;
import dev.mlpipeline.common.Tracing;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.FittedPipeline;
import io.opentelemetry.api.common.Attributes;
import io.smallrye.mutiny.Uni;

/**
 * Loads a job's artifact and makes it ready to serve: the bytes are checked against their stored
 * sha256, deserialized through the pipeline's allow-list filter (or, when this replica built or
 * loaded those exact bytes recently, taken from {@link RecentPipelines}) and run once on a stored
 * sample row, all on a worker thread.
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    @Inject
    DeploymentRepository deployments;

    @Inject
    RecentPipelines recent;

    @Inject
    DeploymentMetrics metrics;

    @Inject
    Tracing tracing;

    /**
     * The warm pipeline of a COMPLETED job, or {@link ModelLoadException} (a 409) saying why it cannot
     * serve (missing, tampered or unreadable artifact, failing dry run).
     */
    public Uni<FittedPipeline> load(JobKind kind, String jobId) {
        long start = System.nanoTime();
        return tracing.traced("load_model", Attributes.of(Tracing.JOB_ID, jobId), () -> deployments.findArtifact(kind, jobId)
                .flatMap(artifact -> {
                    if (artifact == null) {
                        return Uni.createFrom().failure(new ModelLoadException("Job '" + jobId + "' has no model artifact to deploy."));
                    }
                    return Offload.io(() -> warm(jobId, artifact.bytes(), artifact.sha256()));
                }))
                .onItemOrFailure().invoke((pipeline, failure) -> metrics.modelLoaded(pipeline, failure, System.nanoTime() - start))
                .invoke(p -> LOG.infof("Warmed the model of %s in %d ms", jobId, (System.nanoTime() - start) / 1_000_000));
    }

    private FittedPipeline warm(String jobId, byte[] bytes, String sha256) {
        FittedPipeline pipeline;
        try {
            // Reuse the object if this replica built or loaded these bytes recently (after checking
            // they are intact); otherwise deserialize, which checks them itself.
            pipeline = recent.find(sha256).orElse(null);
            if (pipeline != null) {
                ArtifactCodec.verify(bytes, sha256);
            } else {
                pipeline = ArtifactCodec.deserialize(bytes, sha256);
                recent.remember(sha256, pipeline);
            }
        } catch (RuntimeException e) {
            throw new ModelLoadException("The model artifact of job '" + jobId + "' cannot be loaded: " + e.getMessage());
        }
        List<Map<String, Object>> sample = pipeline.sampleRows();
        try {
            pipeline.predict(sample.isEmpty() ? List.of(Map.of()) : sample.subList(0, 1));
        } catch (RuntimeException e) {
            throw new ModelLoadException("The model of job '" + jobId + "' failed its trial prediction: " + e.getMessage());
        }
        return pipeline;
    }
}
