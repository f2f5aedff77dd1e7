package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import dev.mlpipeline.pipeline.FittedPipeline;

/**
 * This replica's view of the active deployment: which deployment should be active (as last read
 * from PostgreSQL or decided here) and the loaded, verified, dry-run pipeline that serves it.
 * Predictions read it without touching the database.
 *
 * <p>Every update carries the database time of the change it reflects ({@code created_at} of a
 * deployment, {@code deactivated_at} of an undeploy, both taken under the deploy lock), and an
 * update older than what the cache already holds is ignored. So concurrent deploys, notifications
 * and re-checks arriving in any order leave the cache on the latest deployment.
 *
 * <p>When the model of the desired deployment cannot be loaded here, the cache also holds why
 * ({@link #failure()}), until that deployment is warm or another one is desired.
 */
@Singleton
public class ModelCache {

    /** A warm model: the pipeline of a deployed job, ready to predict. */
    public record Warm(String deploymentId, String jobId, String source, String datasetId, String modelType, int version,
            FittedPipeline pipeline) {
    }

    /**
     * Why the desired deployment's model cannot serve on this replica: {@code cause} is written for an
     * operator (the artifact's problem, or the database error while reading it); {@code since} is when
     * the first attempt failed.
     */
    public record LoadFailure(String deploymentId, String jobId, String modelType, int version, String cause, Instant since) {
    }

    /**
     * {@code desired} null = nothing should be deployed; {@code warm} may lag behind while loading;
     * {@code failure}, if set, is about {@code desired}.
     */
    private record State(Instant asOf, boolean known, String desired, Warm warm, LoadFailure failure) {
    }

    private final AtomicReference<State> state = new AtomicReference<>(new State(Instant.EPOCH, false, null, null, null));

    /** Records what should be active as of {@code asOf}, keeping the warm model (or its failure) if it is that one. */
    public void expect(Instant asOf, String deploymentId) {
        state.updateAndGet(s -> !asOf.isBefore(s.asOf())
                ? new State(asOf, true, deploymentId,
                        s.warm() != null && s.warm().deploymentId().equals(deploymentId) ? s.warm() : null,
                        s.failure() != null && s.failure().deploymentId().equals(deploymentId) ? s.failure() : null)
                : s);
    }

    /** Installs a warm model for the deployment that is active as of {@code asOf} (ignored if older). */
    public void install(Instant asOf, Warm warm) {
        state.updateAndGet(s -> !asOf.isBefore(s.asOf()) || warm.deploymentId().equals(s.desired())
                ? new State(asOf.isBefore(s.asOf()) ? s.asOf() : asOf, true, warm.deploymentId(), warm, null)
                : s);
    }

    /**
     * Records that the model of {@code failure.deploymentId()} could not be loaded. Ignored unless that
     * deployment is still the desired one and not warm. Returns true when this is news (no failure, or
     * another cause, was recorded for it before), so that repeated retries are logged once.
     */
    public boolean fail(LoadFailure failure) {
        State before = state.getAndUpdate(s -> failure.deploymentId().equals(s.desired()) && s.warm() == null
                ? new State(s.asOf(), s.known(), s.desired(), null,
                        s.failure() != null && s.failure().cause().equals(failure.cause()) ? s.failure() : failure)
                : s);
        return failure.deploymentId().equals(before.desired()) && before.warm() == null
                && (before.failure() == null || !before.failure().cause().equals(failure.cause()));
    }

    /** Why the desired deployment cannot serve here, while that is so. */
    public Optional<LoadFailure> failure() {
        State s = state.get();
        return s.warm() == null && s.failure() != null && s.failure().deploymentId().equals(s.desired())
                ? Optional.of(s.failure())
                : Optional.empty();
    }

    /** The model serving predictions, if the active deployment is warm here. */
    public Optional<Warm> active() {
        State s = state.get();
        return s.warm() != null && s.warm().deploymentId().equals(s.desired()) ? Optional.of(s.warm()) : Optional.empty();
    }

    /** The deployment that should be active, per the latest information. */
    public Optional<String> desired() {
        return Optional.ofNullable(state.get().desired());
    }

    /** Whether this replica has read the active deployment from PostgreSQL (or decided it) at least once. */
    public boolean known() {
        return state.get().known();
    }

    /** True when this replica knows the active deployment and, if there is one, has it warm. */
    public boolean ready() {
        State s = state.get();
        return s.known() && (s.desired() == null || active().isPresent());
    }

    /** The time of the latest change this replica has seen. */
    public Instant asOf() {
        return state.get().asOf();
    }
}
