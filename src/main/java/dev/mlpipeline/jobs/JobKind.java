package dev.mlpipeline.jobs;

/** The two kinds of job that produce model versions, with their table and id prefix. */
public enum JobKind {
    TRAINING("training_job", "trn", "training"),
    TUNING("tuning_job", "tun", "tuning");

    private final String table;
    private final String idPrefix;
    private final String wireName;

    JobKind(String table, String idPrefix, String wireName) {
        this.table = table;
        this.idPrefix = idPrefix;
        this.wireName = wireName;
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

    /** The kind a job id names by its prefix, if any. */
    public static java.util.Optional<JobKind> ofJobId(String jobId) {
        for (JobKind kind : values()) {
            if (jobId != null && jobId.startsWith(kind.idPrefix + "_")) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }
}
