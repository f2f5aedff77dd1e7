package dev.mlpipeline.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress and cancel flag a running fit shares with the scheduler's heartbeat. */
class JobExecutionTest {

    @Test
    void progressStartsAtZeroAndOnlyRises() {
        JobExecution e = new JobExecution(JobKind.TRAINING, "trn_1", "replica-test");
        assertEquals(0.0, e.progress());
        e.onProgress(0.3);
        assertEquals(0.3, e.progress());
        e.onProgress(0.1); // a later, smaller report (another tree, another fold) never moves it back
        assertEquals(0.3, e.progress());
        e.onProgress(0.3);
        assertEquals(0.3, e.progress());
        e.onProgress(0.75);
        assertEquals(0.75, e.progress());
    }

    @Test
    void progressIsClampedToZeroToOneAndIgnoresNaN() {
        JobExecution e = new JobExecution(JobKind.TUNING, "tun_1", "replica-test");
        e.onProgress(-5);
        assertEquals(0.0, e.progress());
        e.onProgress(Double.NaN);
        assertEquals(0.0, e.progress());
        e.onProgress(0.5);
        e.onProgress(Double.NaN);
        assertEquals(0.5, e.progress());
        e.onProgress(7);
        assertEquals(1.0, e.progress());
        e.onProgress(Double.POSITIVE_INFINITY);
        assertEquals(1.0, e.progress());
    }

    @Test
    void concurrentReportsLeaveTheHighestAndNeverGoBack() throws Exception {
        JobExecution e = new JobExecution(JobKind.TRAINING, "trn_2", "replica-test");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Double>> reporters = IntStream.range(0, 4).mapToObj(t -> CompletableFuture.supplyAsync(() -> {
                SplittableRandom random = new SplittableRandom(t);
                double max = 0;
                for (int i = 0; i < 20_000; i++) {
                    double p = random.nextDouble(0, 0.9);
                    max = Math.max(max, p);
                    e.onProgress(p);
                }
                return max;
            }, threads)).toList();
            // A reader (the heartbeat) sees a non-decreasing sequence meanwhile.
            List<Double> seen = new ArrayList<>();
            while (!reporters.stream().allMatch(CompletableFuture::isDone)) {
                seen.add(e.progress());
            }
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) >= seen.get(i - 1), "went back at read " + i);
            }
            double highest = reporters.stream().mapToDouble(CompletableFuture::join).max().orElseThrow();
            assertEquals(highest, e.progress());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void cancelIsSeenByTheFit() {
        JobExecution e = new JobExecution(JobKind.TRAINING, "trn_3", "replica-test");
        assertFalse(e.isCancelled());
        e.cancel();
        assertTrue(e.isCancelled());
        assertEquals("trn_3", e.jobId());
        assertEquals(JobKind.TRAINING, e.kind());
    }

    @Test
    void aJobWhoseCompletionWasWrittenStaysCompletedWhenALaterHeartbeatMarksItCancelled() {
        JobExecution e = new JobExecution(JobKind.TRAINING, "trn_2", "replica-test");
        e.markCompleted();
        e.cancel(); // the next heartbeat finds the job no longer RUNNING
        assertEquals("completed", JobMetrics.outcome(e, null));
        JobExecution stopped = new JobExecution(JobKind.TRAINING, "trn_3", "replica-test");
        stopped.cancel();
        assertEquals("cancelled", JobMetrics.outcome(stopped, null));
        assertEquals("failed", JobMetrics.outcome(new JobExecution(JobKind.TRAINING, "trn_4", "replica-test"), new IllegalStateException("x")));
    }
}
