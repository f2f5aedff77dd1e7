package dev.mlpipeline.jobs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job states and job kinds, without a server. The guarded transitions themselves are SQL: see {@code JobQueueTest}. */
class JobStatusTest {

    @Test
    void onlyCompletedFailedAndCancelledAreTerminal() {
        EnumSet<JobStatus> terminal = EnumSet.noneOf(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            if (s.isTerminal()) {
                terminal.add(s);
            }
        }
        assertEquals(EnumSet.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED), terminal);
        assertFalse(JobStatus.PENDING.isTerminal());
        assertFalse(JobStatus.RUNNING.isTerminal());
    }

    @Test
    void theLifeCycleHasExactlyFiveStatesInItsOrder() {
        // The order is the documented life cycle; the wire and the database use these exact names.
        assertEquals(List.of("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"),
                Arrays.stream(JobStatus.values()).map(Enum::name).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = { "completed", "COMPLETED", " Completed ", "cOmPlEtEd\t" })
    void parseIgnoresCaseAndSurroundingBlanks(String raw) {
        assertEquals(JobStatus.COMPLETED, JobStatus.parse("status", raw));
    }

    @ParameterizedTest
    @ValueSource(strings = { "DONE", "", "complete", "RUNNING,PENDING", "0" })
    void parseRejectsAnythingElseNamingTheFieldAndTheValidValues(String raw) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JobStatus.parse("status", raw));
        assertEquals(List.of("status"), e.errors().stream().map(FieldError::field).toList());
        assertTrue(e.getMessage().startsWith("status: '" + raw + "' is not a job status"), e.getMessage());
        for (JobStatus s : JobStatus.values()) {
            assertTrue(e.getMessage().contains(s.name()), e.getMessage());
        }
    }

    @Test
    void aJobIdNamesItsKindByPrefix() {
        assertEquals(Optional.of(JobKind.TRAINING), JobKind.ofJobId("trn_01jabc"));
        assertEquals(Optional.of(JobKind.TUNING), JobKind.ofJobId("tun_01jabc"));
        for (String notAJob : new String[]{ null, "", "trn", "trnx_1", "dep_1", "TRN_1", "ds_1" }) {
            assertEquals(Optional.empty(), JobKind.ofJobId(notAJob), String.valueOf(notAJob));
        }
        assertEquals("training_job", JobKind.TRAINING.table());
        assertEquals("tuning", JobKind.TUNING.wireName());
    }
}
