package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Supervised learning task. */
public enum Task {
    /** Predict one of a finite set of labels. */
    CLASSIFICATION("classification"),
    /** Predict a real number. */
    REGRESSION("regression");

    private final String wireName;

    Task(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name used in the API and in stored JSON ("classification" / "regression") */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @param value "classification" or "regression"
     * @return the task
     * @throws PipelineValidationException on {@code task} when the value is unknown
     */
    public static Task fromWire(String value) {
        for (Task t : values()) {
            if (t.wireName.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return t;
            }
        }
        throw new PipelineValidationException("task", "unknown task '" + value + "'; expected one of: "
                + Arrays.stream(values()).map(Task::wireName).collect(Collectors.joining(", ")));
    }
}
