package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the job queue and its worker pool ({@code mlpipeline.jobs.*}). */
@ConfigMapping(prefix = "mlpipeline.jobs")
public interface JobsConfig {

    /** Threads that fit models on this replica; default: the number of cores. */
    OptionalInt workers();

    /** How often an idle replica looks for PENDING jobs (a submission on this replica wakes it at once). */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often a RUNNING job writes its heartbeat and progress, and learns of a cancel. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** A RUNNING job whose heartbeat is older than this is marked FAILED (its replica died). */
    @WithDefault("60s")
    Duration heartbeatTimeout();

    /** Whether this replica claims and runs jobs (an API-only replica sets it to false). */
    @WithDefault("true")
    boolean enabled();

    default int workerCount() {
        return workers().orElse(Runtime.getRuntime().availableProcessors());
    }
}
