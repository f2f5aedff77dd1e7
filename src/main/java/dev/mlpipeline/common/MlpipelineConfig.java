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

    /** The model registry's views. */
    Registry registry();

    /** The prediction log: a sample of predicted rows, written in the background (for drift). */
    PredictionLog predictionLog();

    /** Drift of the logged inputs against the deployed version's training profile. */
    Drift drift();

    /** The service's own metrics at {@code /q/metrics}. */
    Metrics metrics();

    /** Batch predictions ({@code /api/batch-predictions}). */
    BatchPredictions batchPredictions();

    /** Authentication (API tokens, OIDC), the role of each operation, and the audit trail. */
    Security security();

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

    interface Registry {

        /**
         * Registry pages ({@code GET /api/registry/models?limit=…} and the console's registry) kept in memory
         * by this replica, weighed by their size (bytes; {@code 64M}; {@code 0} keeps none). A kept page is
         * served again only while the registry's generation (bumped by PostgreSQL in the transaction of any
         * change of the view, from any replica) is the one it was read under.
         */
        @WithDefault("64M")
        MemorySize pageCacheSize();
    }

    interface Deployments {

        /** Rows accepted by one predict request; more get a 413. */
        @WithDefault("10000")
        int maxRows();

        /**
         * Rows accepted by one predict request with {@code explain=true}; more get a 413. Explaining costs far more
         * than predicting (TreeSHAP visits every node of every tree for each row).
         */
        @WithDefault("1000")
        int explainMaxRows();

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

    interface PredictionLog {

        /**
         * Fraction (0..1) of predicted rows written to the log, each drawn independently; 1 logs every
         * row, 0 turns the log off. Predict only hands the rows to a bounded in-memory queue; a
         * background thread writes them.
         */
        @WithDefault("1.0")
        double sampleRate();

        /**
         * Rows the queue holds at most while waiting to be written. When it is full (the database is
         * slow or down) further rows are dropped and counted in
         * {@code mlpipeline_prediction_log_rows_total{outcome="dropped"}}; predict never waits.
         */
        @WithDefault("50000")
        int queueCapacity();

        /** Rows written per {@code INSERT} at most (one statement, one table row per batch). */
        @WithDefault("1000")
        int batchSize();

        /**
         * How long a logged row waits at most before its batch is written (a batch that reaches
         * {@link #batchSize()} rows is written at once).
         */
        @WithDefault("1s")
        Duration flushInterval();

        /** Logged rows older than this are deleted (by a background timer, every {@link #cleanupInterval()}). */
        @WithDefault("7d")
        Duration retention();

        /** How often expired rows are deleted. */
        @WithDefault("1h")
        Duration cleanupInterval();
    }

    interface Drift {

        /** A feature (or the predictions) is flagged when its population stability index is above this. */
        @WithDefault("0.2")
        double psiThreshold();

        /** The window of {@code GET /api/deployments/active/drift} without {@code since}, and of the gauges. */
        @WithDefault("1h")
        Duration window();

        /**
         * Logged rows compared at most per drift computation: the newest of the window. A PSI over 100,000
         * rows is stable to the third decimal; more only costs time.
         */
        @WithDefault("100000")
        int maxRows();

        /**
         * How often this replica recomputes the drift gauges ({@code mlpipeline_drift_psi} and others) of
         * the deployment it serves, over the last {@link #window()}; a scrape never computes it.
         * {@code 0s} turns the gauges off.
         */
        @WithDefault("60s")
        Duration gaugeInterval();
    }

    interface BatchPredictions {

        /**
         * Rows scored and written together: one stored table row ({@code batch_prediction_chunk}) per chunk.
         * Larger chunks mean fewer statements and more memory per scoring thread.
         */
        @WithDefault("2000")
        int chunkRows();

        /**
         * Threads of the worker pool one batch prediction scores on (the job's own and helpers that only
         * start when a worker is free); default, and at most, {@code mlpipeline.jobs.workers}.
         */
        OptionalInt parallelism();

        /**
         * Result rows read per query while a result is streamed (keyset pages of whole stored chunks, at
         * least one: {@code max(1, resultPageRows / chunkRows)} chunks).
         */
        @WithDefault("5000")
        int resultPageRows();
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

    interface Security {

        /**
         * Whether every {@code /api} operation needs a bearer token holding its role (see
         * {@code dev.mlpipeline.security.AccessPolicy}). True in prod, false in dev and test. With it
         * off, tokens are still read when sent (the audit trail and {@code created_by} name their
         * holder) but never required.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * A token accepted as {@code admin} (environment {@code MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN}, a
         * Secret in Kubernetes), so that a fresh install can create real tokens with {@code POST /api/tokens}.
         * Compared in constant time; at least 32 characters.
         */
        Optional<String> bootstrapToken();

        /**
         * How long a replica trusts its cached lookup of an API token (a revoked or expired token is
         * refused by every replica at most this long, plus one query, after {@code DELETE /api/tokens/{id}}).
         */
        @WithDefault("1s")
        Duration tokenCacheTtl();

        /** Whether {@code /q/metrics} is open without a token (with security on, false requires {@code viewer}). */
        @WithDefault("true")
        boolean metricsOpen();

        /**
         * Whether the {@code mlp_session} cookie set by {@code POST /api/session} carries the
         * {@code Secure} attribute. Keep it true: browsers still send it to {@code http://localhost}.
         */
        @WithDefault("true")
        boolean sessionCookieSecure();

        /**
         * How often queued audit rows are written (the audit trail is written off the request's path; a
         * full batch is also written at once, and the queue at shutdown).
         */
        @WithDefault("200ms")
        Duration auditFlushInterval();

        /** Audit rows per INSERT. */
        @WithDefault("500")
        int auditBatchSize();
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
