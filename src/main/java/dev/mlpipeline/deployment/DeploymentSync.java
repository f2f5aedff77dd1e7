package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.jobs.JobKind;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Keeps this replica's {@link ModelCache} on the deployment that PostgreSQL says is active:
 * at start, on every {@code NOTIFY} of a deploy or undeploy (from any replica), and on a periodic
 * re-check that covers lost notifications or a dropped LISTEN connection. A change is warmed
 * (loaded, verified, dry-run) before it serves. A model that cannot load is recorded in the cache
 * with its cause and tried again at each re-check; readiness handles both (see {@link ModelCacheReadiness}).
 */
@Singleton
public class DeploymentSync {

    private static final Logger LOG = Logger.getLogger(DeploymentSync.class);

    @Inject
    Vertx vertx;

    @Inject
    DeploymentRepository deployments;

    @Inject
    ModelCache cache;

    @Inject
    ModelLoader loader;

    @Inject
    MlpipelineConfig config;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final AtomicBoolean syncing = new AtomicBoolean();
    private final AtomicBoolean syncAgain = new AtomicBoolean();
    private PgSubscriber subscriber;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        sync();
        timer = vertx.setPeriodic(config.deployments().recheckInterval().toMillis(), id -> sync());
        url.ifPresent(this::listen);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private void listen(String reactiveUrl) {
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        // Vert.x names a connection's client metrics after this ("prefix|client name"); left empty, the
        // LISTEN connection's meters were named ".completed", ".queue.size", … (m__completed in Prometheus).
        options.setMetricsName("postgresql|deployment-listener");
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(DeploymentRepository.CHANNEL).handler(payload -> sync())
                // Called on every (re)connection. Without a handler of its own, the connection prints the
                // error that ends it (a server restart's 57P01) to stderr; the reconnect policy handles it.
                .subscribeHandler(subscribed -> subscriber.actualConnection().exceptionHandler(
                        e -> LOG.debugf("The LISTEN connection failed (%s); reconnecting", e.getMessage())));
        subscriber.connect().onComplete(result -> {
            if (result.succeeded()) {
                LOG.debug("Listening for deployment changes");
            } else {
                LOG.warnf("Cannot LISTEN for deployment changes (%s); relying on the periodic re-check", result.cause().getMessage());
            }
        });
    }

    /** Reads the active deployment and warms it if this replica does not serve it yet. Coalesces concurrent calls. */
    public void sync() {
        if (!syncing.compareAndSet(false, true)) {
            syncAgain.set(true);
            return;
        }
        syncOnce().subscribe().with(ignored -> finish(), failure -> {
            LOG.warnf("Could not sync the active deployment: %s", failure.getMessage());
            finish();
        });
    }

    private void finish() {
        syncing.set(false);
        if (syncAgain.getAndSet(false)) {
            sync();
        }
    }

    /**
     * The active deployment cannot serve here: the replica stays in service (after the warm-up, see
     * {@link ModelCacheReadiness}) and reports why; the next re-check tries again. Logged once per cause.
     */
    private void loadFailed(ModelCache.LoadFailure failure) {
        if (cache.fail(failure)) {
            LOG.warnf("Cannot serve the active deployment %s (%s v%d) on this replica: %s Retrying every %d s.",
                    failure.deploymentId(), failure.modelType(), failure.version(), failure.cause(), config.deployments().recheckInterval().toSeconds());
        } else {
            LOG.debugf("Still cannot serve the active deployment %s: %s", failure.deploymentId(), failure.cause());
        }
    }

    private static String causeOf(Throwable failure) {
        return failure instanceof ModelLoadException e ? e.reason()
                : "Its model could not be read from the database: " + ModelLoadException.sentence(String.valueOf(failure.getMessage()));
    }

    /** One sync: the latest deployment change decides what should be active. */
    Uni<Void> syncOnce() {
        return deployments.findLatestChange()
                .flatMap(change -> {
                    if (change == null) {
                        cache.expect(Instant.EPOCH.plusMillis(1), null);
                        return Uni.createFrom().voidItem();
                    }
                    Instant changedAt = change.changedAt();
                    if (!change.active()) {
                        cache.expect(changedAt, null);
                        return Uni.createFrom().voidItem();
                    }
                    String id = change.id();
                    if (cache.active().map(w -> w.deploymentId().equals(id)).orElse(false) || changedAt.isBefore(cache.asOf())) {
                        return Uni.createFrom().voidItem();
                    }
                    cache.expect(changedAt, id);
                    String jobId = change.jobId();
                    JobKind kind = JobKind.ofJobId(jobId).orElseThrow();
                    return loader.load(kind, jobId).invoke(pipeline -> cache.install(changedAt, new ModelCache.Warm(id, jobId,
                            change.source(), change.datasetId(), change.modelType(), change.version(), pipeline)))
                            .replaceWithVoid()
                            .onFailure().recoverWithItem(failure -> {
                                loadFailed(new ModelCache.LoadFailure(id, jobId, change.modelType(),
                                        change.version(), causeOf(failure), Instant.now()));
                                return null;
                            });
                });
    }
}
