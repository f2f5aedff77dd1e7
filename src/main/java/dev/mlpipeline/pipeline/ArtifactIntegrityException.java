package dev.mlpipeline.pipeline;

/** A stored model artifact failed its checksum, or holds content the loader refuses. */
public class ArtifactIntegrityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message user-facing explanation */
    public ArtifactIntegrityException(String message) {
        super(message);
    }

    /**
     * @param message user-facing explanation
     * @param cause   underlying failure
     */
    public ArtifactIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
