package dev.mlpipeline.jobs;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.common.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Job listing filters from raw query parameters, without a server. */
class JobFilterTest {

    private static final String FETCH = "from TrainingJob j";
    private static final String ORDER = " order by j.createdAt desc, j.id desc";

    @Test
    void blankOrMissingParametersMeanAny() {
        for (String blank : new String[]{ null, "", "   " }) {
            JobFilter f = JobFilter.of(blank, blank, blank);
            assertEquals(new JobFilter(null, null, null), f);
            assertEquals(FETCH + ORDER, f.query(FETCH));
            assertEquals(Map.of(), f.parameters());
        }
    }

    @Test
    void valuesAreStrippedAndTheStatusIsParsed() {
        JobFilter f = JobFilter.of(" failed ", " ds_1 ", "\tRandomForest ");
        assertEquals(new JobFilter(JobStatus.FAILED, "ds_1", "RandomForest"), f);
        assertEquals(Map.of("status", JobStatus.FAILED, "datasetId", "ds_1", "modelType", "RandomForest"), f.parameters());
    }

    @Test
    void everyFilterAddsOneConditionAndOneParameter() {
        assertEquals(FETCH + " where j.status = :status" + ORDER, JobFilter.of("PENDING", null, null).query(FETCH));
        assertEquals(FETCH + " where j.dataset.id = :datasetId" + ORDER, JobFilter.of(null, "ds_1", null).query(FETCH));
        assertEquals(FETCH + " where j.modelType = :modelType" + ORDER, JobFilter.of(null, null, "Ridge").query(FETCH));
        assertEquals(FETCH + " where j.status = :status and j.dataset.id = :datasetId and j.modelType = :modelType" + ORDER,
                JobFilter.of("running", "ds_1", "Ridge").query(FETCH));
        assertEquals(Map.of("datasetId", "ds_1"), JobFilter.of(null, "ds_1", null).parameters());
    }

    @Test
    void aValueIsNeverPartOfTheQueryText() {
        // Values travel as parameters only: a quote in a dataset id cannot change the query.
        JobFilter f = JobFilter.of(null, "ds_1' or '1'='1", "x");
        assertEquals(FETCH + " where j.dataset.id = :datasetId and j.modelType = :modelType" + ORDER, f.query(FETCH));
        assertEquals("ds_1' or '1'='1", f.parameters().get("datasetId"));
    }

    @Test
    void anUnknownStatusIsA400OnTheStatusField() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JobFilter.of("DONE", "ds_1", null));
        assertEquals("status", e.errors().getFirst().field());
    }
}
