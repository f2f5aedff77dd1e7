package dev.mlpipeline.jobs;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.pipeline.ArtifactIntegrityException;
import dev.mlpipeline.pipeline.ModelUnavailableException;
import dev.mlpipeline.pipeline.PipelineValidationException;
import io.smallrye.mutiny.CompositeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code error} text of a failed job and whether the failure is logged as unexpected. */
class JobFailuresTest {

    @Test
    void validationFailuresNameTheirField() {
        assertEquals("hyperparameters.n_trees: must be at least 1",
                JobFailures.describe(new PipelineValidationException("hyperparameters.n_trees", "must be at least 1")));
        assertEquals("the dataset has one class", JobFailures.describe(new PipelineValidationException(null, "the dataset has one class")));
        assertFalse(JobFailures.isUnexpected(new PipelineValidationException("x", "y")));
    }

    @Test
    void domainUnavailableAndIntegrityFailuresKeepTheirMessage() {
        assertEquals("Ridge needs OpenBLAS", JobFailures.describe(new ModelUnavailableException("Ridge needs OpenBLAS")));
        assertEquals("target_column: gone", JobFailures.describe(InvalidInputException.forField("target_column", "gone")));
        assertEquals("no such dataset", JobFailures.describe(new NotFoundException("no such dataset")));
        assertEquals("sha256 mismatch", JobFailures.describe(new ArtifactIntegrityException("sha256 mismatch")));
        assertFalse(JobFailures.isUnexpected(new ModelUnavailableException("m")));
        assertFalse(JobFailures.isUnexpected(new ConflictException("c")));
        // A corrupt artifact is shown with its own text but still logged with its stack trace.
        assertTrue(JobFailures.isUnexpected(new ArtifactIntegrityException("sha256 mismatch")));
    }

    @Test
    void outOfMemorySaysWhatToChange() {
        String text = JobFailures.describe(new OutOfMemoryError("Java heap space"));
        assertTrue(text.startsWith("The job ran out of memory"), text);
        assertTrue(text.contains("max_depth"), text);
        assertTrue(JobFailures.isUnexpected(new OutOfMemoryError()));
    }

    @Test
    void anythingElseIsUnexpectedAndNeverNamesAJavaClass() {
        assertEquals("The job failed unexpectedly: boom. The service log has the details; if it happens again, report it with the job id.",
                JobFailures.describe(new IllegalStateException("boom")));
        assertEquals("The job failed unexpectedly. The service log has the details; if it happens again, report it with the job id.",
                JobFailures.describe(new NullPointerException()));
        assertTrue(JobFailures.isUnexpected(new IllegalStateException("boom")));
    }

    @Test
    void wrappersAreUnwrappedFirst() {
        Throwable inner = new PipelineValidationException("test_size", "too small");
        List<Throwable> wrapped = List.of(new CompositeException(inner, new IllegalStateException("second")),
                new CompletionException(inner), new ExecutionException(inner),
                new CompletionException(new CompositeException(List.of(new ExecutionException(inner)))));
        for (Throwable w : wrapped) {
            assertEquals("test_size: too small", JobFailures.describe(w), w.toString());
            assertFalse(JobFailures.isUnexpected(w), w.toString());
        }
        // A wrapper without a cause is itself the failure.
        String lost = JobFailures.describe(new CompletionException("lost", null));
        assertTrue(lost.startsWith("The job failed unexpectedly: lost."), lost);
        assertFalse(lost.contains("Exception"), lost);
    }
}
