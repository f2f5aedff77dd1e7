package dev.mlpipeline.deployment;

import dev.mlpipeline.common.ConflictException;

/**
 * A job's model cannot be made ready to serve: its artifact is missing, tampered with or unreadable,
 * or its trial prediction fails. A deploy of that job is refused (409, "The deployment was not
 * changed"); when the job is already the active deployment (activated elsewhere), this replica keeps
 * answering and reports {@link #reason()} in readiness details, a gauge and predict's 503.
 */
public class ModelLoadException extends ConflictException {

    private final String reason;

    public ModelLoadException(String reason) {
        super(sentence(reason) + " The deployment was not changed.");
        this.reason = sentence(reason);
    }

    /** {@code text} ending with a full stop (causes from libraries often lack one). */
    static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /** Why the model cannot serve, without the deploy's conclusion. */
    public String reason() {
        return reason;
    }
}
