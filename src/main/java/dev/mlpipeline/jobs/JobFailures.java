package dev.mlpipeline.jobs;

import dev.mlpipeline.common.DomainException;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.pipeline.ArtifactIntegrityException;
import dev.mlpipeline.pipeline.ModelUnavailableException;
import dev.mlpipeline.pipeline.PipelineValidationException;

/** Turns a failure of a running job (or of one of a tuning job's trials) into the {@code error} text its users read. */
public final class JobFailures {

    private JobFailures() {
    }

    public static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof PipelineValidationException e) {
            return e.field() == null ? e.getMessage() : e.field() + ": " + e.getMessage();
        }
        if (t instanceof ModelUnavailableException || t instanceof DomainException || t instanceof ArtifactIntegrityException) {
            return t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "The job ran out of memory; use fewer rows, fewer trees or a shallower max_depth, or give the service more memory.";
        }
        // Never the Java exception's name: the full failure is in the replica's log (JobScheduler logs it).
        return "The job failed unexpectedly" + (t.getMessage() == null || t.getMessage().isBlank() ? "" : ": " + t.getMessage())
                + ". The service log has the details; if it happens again, report it with the job id.";
    }

    /** True for a failure that is a bug or a resource problem rather than bad input: it is logged with its trace. */
    public static boolean isUnexpected(Throwable failure) {
        Throwable t = unwrap(failure);
        return !(t instanceof PipelineValidationException || t instanceof ModelUnavailableException || t instanceof DomainException);
    }

    private static Throwable unwrap(Throwable failure) {
        return ProblemMapper.unwrap(failure);
    }
}
