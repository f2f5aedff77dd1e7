package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.mlpipeline.bench.CpuTime;

/**
 * The CSV parser on {@code samples/adult.csv} (3.5 MB, 32,561 records of 15 fields), read from memory on
 * one thread: {@link #read} is {@link CsvReader} alone (every record, every field), {@link #profile} the
 * upload's whole validation and profiling pass ({@link CsvProfiler}: separator detection, types,
 * distinct counts, sha256). The score is milliseconds per file (wall clock), {@link CpuTime} adds the
 * thread's CPU time per file; MB/s = 3.51 × 1000 / ms. Run with
 * {@code bench/jmh.sh CsvBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CsvBenchmark {

    private byte[] adult;

    @Setup
    public void setUp() throws IOException {
        adult = Files.readAllBytes(Path.of(System.getProperty("datasets.dir", "samples"), "adult.csv"));
    }

    /** Records read, fields summed over them (so that nothing is optimized away). */
    @Benchmark
    public long read(CpuTime cpu) throws IOException {
        cpu.start();
        long fields = 0;
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(adult))) {
            for (String[] record = reader.next(); record != null; record = reader.next()) {
                fields += record.length;
            }
        }
        cpu.stop();
        return fields;
    }

    @Benchmark
    public CsvProfile profile(CpuTime cpu) throws IOException {
        cpu.start();
        CsvProfile profile = new CsvProfiler().profile(new ByteArrayInputStream(adult));
        cpu.stop();
        return profile;
    }
}
