package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark, not part of the default suite: parsing and profiling speed on a generated ~50 MB file,
 * printed for people ({@code ./mvnw -B -o test -Dgroups=benchmark}, see docs/benchmarks.md). It
 * fails when the best of three rounds is below {@link #FLOOR_MB_PER_S}, about a tenth of what one
 * loaded core of the project's machines does, so only a real regression (a quadratic step, a copy
 * per byte) trips it.
 */
@Tag("benchmark")
class ThroughputTest {

    private static final int TARGET_BYTES = 50 * 1024 * 1024;
    static final double FLOOR_MB_PER_S = 5;

    /** A file shaped like the real datasets: numbers, short labels, some quoted text, a few gaps. */
    private static byte[] generate() {
        Random random = new Random(1);
        String[] labels = { "Yes", "No", "Month-to-month", "Electronic check", "NEAR BAY", "United-States" };
        StringBuilder sb = new StringBuilder(1 << 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream(TARGET_BYTES + (1 << 20));
        sb.append("id,age,income,score,label,comment,flag,city,rate,count\n");
        long rows = 0;
        while (out.size() < TARGET_BYTES) {
            sb.append(rows++).append(',')
                    .append(18 + random.nextInt(70)).append(',')
                    .append(random.nextInt(200_000)).append('.').append(random.nextInt(100)).append(',')
                    .append(random.nextGaussian()).append(',')
                    .append(labels[random.nextInt(labels.length)]).append(',')
                    .append(random.nextInt(10) == 0 ? "\"said \"\"hi\"\", then left\"" : "plain text here").append(',')
                    .append(random.nextInt(20) == 0 ? "" : random.nextBoolean() ? "1" : "0").append(',')
                    .append("city-").append(random.nextInt(500)).append(',')
                    .append(random.nextDouble()).append(',')
                    .append(random.nextInt(1000)).append('\n');
            if (sb.length() > (1 << 20)) {
                out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
                sb.setLength(0);
            }
        }
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void printThroughput() throws IOException {
        byte[] data = generate();
        double megabytes = data.length / 1e6;
        long expectedRows = 0;
        for (byte b : data) {
            if (b == '\n') {
                expectedRows++;
            }
        }
        expectedRows--; // header

        List<Double> readerSpeeds = new ArrayList<>();
        List<Double> profilerSpeeds = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            long records = 0;
            try (CsvReader reader = new CsvReader(new ByteArrayInputStream(data))) {
                while (reader.next() != null) {
                    records++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(expectedRows + 1, records);
            readerSpeeds.add(megabytes / seconds);
            System.out.printf("CsvReader   round %d: %.1f MB in %.3f s = %.0f MB/s%n",
                    round, megabytes, seconds, megabytes / seconds);
        }
        for (int round = 1; round <= 3; round++) {
            long start = System.nanoTime();
            CsvProfile profile = CsvProfile.of(new ByteArrayInputStream(data));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(expectedRows, profile.rowCount());
            profilerSpeeds.add(megabytes / seconds);
            System.out.printf("CsvProfiler round %d: %.1f MB in %.3f s = %.0f MB/s%n",
                    round, megabytes, seconds, megabytes / seconds);
        }
        double bestReader = readerSpeeds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double bestProfiler = profilerSpeeds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(bestReader >= FLOOR_MB_PER_S, "CsvReader: " + readerSpeeds + " MB/s");
        assertTrue(bestProfiler >= FLOOR_MB_PER_S, "CsvProfiler: " + profilerSpeeds + " MB/s");
    }
}
