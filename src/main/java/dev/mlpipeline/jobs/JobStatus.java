package dev.mlpipeline.jobs;

/**
 * Life cycle of a training or tuning job: PENDING → RUNNING → COMPLETED | FAILED | CANCELLED,
 * and PENDING → CANCELLED. Only COMPLETED jobs have a version and an artifact.
 */
public enum JobStatus {
    PENDING, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Parses a status filter, or fails naming the valid values. */
    public static JobStatus parse(String field, String value) {
        try {
            return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw dev.mlpipeline.common.InvalidInputException.forField(field,
                    "'" + value + "' is not a job status; use one of PENDING, RUNNING, COMPLETED, FAILED, CANCELLED");
        }
    }
}
