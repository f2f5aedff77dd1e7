package dev.mlpipeline.jobs;

/**
 * The kinds of queued job, with their table and id prefix: the two that produce model versions
 * (training, tuning) and batch predictions, which score a dataset with one. Every kind's table has the
 * queue's columns (status, progress, claimed_by, heartbeat_at, started_at, completed_at, error), so
 * {@link JobQueue} claims, beats, fails and cancels them all alike.
 */
public enum JobKind {
    TRAINING("training_job", "trn", "training", true),
    TUNING("tuning_job", "tun", "tuning", true),
    /** Scores a dataset with a model version ({@code dev.mlpipeline.batch}); produces no version. */
    BATCH_PREDICTION("batch_prediction", "bpr", "batch_prediction", false);

    private final String table;
    private final String idPrefix;
    private final String wireName;
    private final boolean producesModelVersions;

    JobKind(String table, String idPrefix, String wireName, boolean producesModelVersions) {
        this.table = table;
        this.idPrefix = idPrefix;
        this.wireName = wireName;
        this.producesModelVersions = producesModelVersions;
    }

    /** True for the kinds whose COMPLETED jobs are model versions (training, tuning). */
    public boolean producesModelVersions() {
        return producesModelVersions;
    }

    /** The table its rows live in (a constant, safe to put into SQL text). */
    public String table() {
        return table;
    }

    public String idPrefix() {
        return idPrefix;
    }

    /** {@code training} or {@code tuning}: the {@code job_type} and registry {@code source} value. */
    public String wireName() {
        return wireName;
    }

    /**
     * The kind of model-producing job (training or tuning) an id names by its prefix, if any: the ids a
     * deployment or a registry version refers to. A batch prediction id is not one.
     */
    public static java.util.Optional<JobKind> ofJobId(String jobId) {
        for (JobKind kind : values()) {
            if (kind.producesModelVersions && jobId != null && jobId.startsWith(kind.idPrefix + "_")) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
