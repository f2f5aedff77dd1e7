package dev.mlpipeline.pipeline;

import java.io.Serial;

/** The model cannot be explained: it was stored before explanations were supported and lacks what they need. */
public class ExplanationUnavailableException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** @param message what is missing and how to fix it (train the version again) */
    public ExplanationUnavailableException(String message) {
        super(message);
    }
}
