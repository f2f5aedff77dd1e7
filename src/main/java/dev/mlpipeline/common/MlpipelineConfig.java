package dev.mlpipeline.common;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the service ({@code mlpipeline.*}), in one place. Each key can also be given as an
 * environment variable ({@code mlpipeline.jobs.heartbeat-timeout} → {@code MLPIPELINE_JOBS_HEARTBEAT_TIMEOUT}).
 * The README's configuration table lists every key below; {@code ConfigDocumentationTest} fails when
 * one is missing there.
 */
@ConfigMapping(prefix = "mlpipeline")
public interface MlpipelineConfig {

    /**
     * Name of this replica in job claims and logs ({@code claimed_by}); in Kubernetes the pod name
     * ({@code HOSTNAME}).
     */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Uploads and the parsed-dataset cache. */
    Datasets datasets();

    /** The job queue and this replica's worker pool. */
    Jobs jobs();

    /** Hyperparameter search. */
    Tuning tuning();

    /** Deployments, the model cache and predictions. */
    Deployments deployments();

    /** The service's own metrics at {@code /q/metrics}. */
    Metrics metrics();

    /**
     * The embedded PostgreSQL of the JVM build. These keys are read before the application starts, by
     * {@code EmbeddedPostgresConfigSourceFactory}; they are declared here so that they are documented
     * and checked like every other key.
     */
    EmbeddedPostgres embeddedPostgres();

    interface Datasets {

        /** Largest CSV file accepted by an upload (bytes; {@code 100M}); a larger one gets a 413. */
        @WithDefault("100M")
        MemorySize maxUploadSize();

        /**
         * Parsed datasets kept in memory for validation and training, weighed by their CSV size (bytes;
         * {@code 256M}). The least recently used are dropped first.
         */
        @WithDefault("256M")
        MemorySize tableCacheSize();
    }

    interface Jobs {

        /** Threads that fit models on this replica; default: the number of CPUs the JVM sees. */
        OptionalInt workers();

        /** How often an idle replica looks for PENDING jobs (a submission on this replica wakes it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How often a RUNNING job writes its heartbeat and progress, and learns of a cancel. */
        @WithDefault("2s")
        Duration heartbeatInterval();

        /**
         * A RUNNING job whose replica has not written its heartbeat for this long is marked FAILED (the
         * replica stopped, crashed or lost the database). Only time the database was reachable counts: a
         * replica scans for such jobs only once it has itself been connected for this long, and a live
         * replica writes its heartbeats again within one {@link #heartbeatInterval()} of the database
         * coming back.
         */
        @WithDefault("60s")
        Duration heartbeatTimeout();

        /**
         * How long a job keeps retrying, with backoff, the database work it cannot do without: the reads
         * that start it, and the write of its end (artifact, version, status, metrics, trials, or its
         * failure). A fit that ends while PostgreSQL is down is recorded when it is back within this
         * window; past it the result is given up (logged), and the job is run again once the database
         * is back, or failed by the heartbeat timeout if its replica is gone.
         */
        @WithDefault("5m")
        Duration completionRetryWindow();

        /**
         * Heap one job may need (bytes; {@code 1500M}); a training or tuning job whose estimated peak
         * ({@link dev.mlpipeline.pipeline.MemoryEstimate}) is larger is refused at submission with a 400
         * that says how much it needs and what to change. Default: 80 % of the JVM's maximum heap
         * ({@code -Xmx}, or {@code -XX:MaxRAMPercentage} of the container's memory limit).
         */
        java.util.Optional<MemorySize> memoryBudget();

        /** Whether this replica claims and runs jobs (an API-only replica sets it to false). */
        @WithDefault("true")
        boolean enabled();

        /** {@link #workers()}, or the number of CPUs the JVM sees. */
        default int workerCount() {
            return workers().orElse(Runtime.getRuntime().availableProcessors());
        }
    }

    interface Tuning {

        /** Largest grid a tuning job may expand to, and largest {@code n_iter} of a random search. */
        @WithDefault("500")
        int maxConfigurations();
    }

    interface Deployments {

        /** Rows accepted by one predict request; more get a 413. */
        @WithDefault("10000")
        int maxRows();

        /**
         * Batches of at most this many rows are predicted on the event loop (a few microseconds each);
         * larger ones on a worker thread.
         */
        @WithDefault("16")
        int inlineRows();

        /** Safety-net re-check of the active deployment, besides {@code LISTEN/NOTIFY}. */
        @WithDefault("10s")
        Duration recheckInterval();

        /**
         * Fitted pipelines this replica keeps after training or serving them, so that deploying one again
         * skips deserialization (the artifact's sha256 is still checked).
         */
        @WithDefault("4")
        int recentModels();

        /**
         * Default of predict's {@code strict} parameter: when true, a row with a missing feature or a
         * categorical value matching no training level is refused (400 listing them all) rather than
         * predicted with imputed values and reported.
         */
        @WithDefault("false")
        boolean strict();

        /**
         * How long after start readiness waits for the active deployment's model to be warm on this
         * replica. Past it the replica is ready whatever the model's state, so that a model that cannot
         * load never takes the API out of service: the cause is reported in the readiness details, by the
         * {@code mlpipeline_active_model_load_failed} gauge and by predict (503). Later deploys never make
         * a replica unready.
         */
        @WithDefault("120s")
        Duration warmUpTimeout();
    }

    interface Metrics {

        /**
         * How often this replica reads the job counts per kind and status from PostgreSQL for the
         * {@code mlpipeline_jobs} and {@code mlpipeline_job_queue_depth} gauges (one grouped count per job
         * table). A scrape reads the last counts; it never queries the database.
         */
        @WithDefault("5s")
        Duration jobCountsInterval();
    }

    interface EmbeddedPostgres {

        /**
         * Start an embedded PostgreSQL when no datasource URL is configured (never when one is). True in
         * dev and test, false in prod.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where the embedded database keeps its files; {@code .devdb} in dev, a temporary directory otherwise. */
        Optional<String> dataDir();

        /** Port of the embedded database; default: a free port. */
        OptionalInt port();
    }
}
