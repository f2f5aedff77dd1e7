package dev.mlpipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU time of the benchmark thread, beside JMH's wall-clock score: on a machine shared with other work
 * the wall clock of one operation grows with the load, its CPU time far less. A benchmark takes this state
 * as a parameter and brackets its work with {@link #start()} / {@link #stop()}; JMH reports the sums per
 * iteration as the secondary results {@code cpuNanos} and {@code calls}, and CPU time per operation is
 * cpuNanos / calls (bench/jmh.sh prints it). Reading the thread's CPU clock costs about 0.2–1 µs per call
 * ({@code clock_gettime(CLOCK_THREAD_CPUTIME_ID)}), negligible beside operations of milliseconds, a few
 * per cent for one-row predictions.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds spent between start and stop in this iteration. */
    public long cpuNanos;
    /** Operations measured in this iteration. */
    public long calls;
    private long startedAt;

    @Setup(Level.Iteration)
    public void reset() {
        cpuNanos = 0;
        calls = 0;
    }

    public void start() {
        startedAt = THREADS.getCurrentThreadCpuTime();
    }

    public void stop() {
        cpuNanos += THREADS.getCurrentThreadCpuTime() - startedAt;
        calls++;
    }
}
