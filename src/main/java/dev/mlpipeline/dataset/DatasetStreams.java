package dev.mlpipeline.dataset;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.dataset.csv.CsvReader;
import dev.mlpipeline.dataset.csv.RecordCleaner;
import dev.mlpipeline.pipeline.ColumnType;
import io.smallrye.mutiny.Uni;

/**
 * Reads a stored dataset row by row, holding at most two of its 1 MiB chunks in memory (the one being
 * parsed and the next, fetched meanwhile), for work over datasets of any size (batch predictions).
 * Cells are cleaned as {@link DatasetTables} cleans them: missing-value markers and numeric
 * placeholders are {@code null}.
 */
@Singleton
public class DatasetStreams {

    /** How long a blocking cursor waits for one chunk. */
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(2);

    @Inject
    DatasetRepository datasets;

    /**
     * A dataset about to be read.
     *
     * @param columns the header's column names, in file order
     * @param types   the column types inferred at upload, by name
     * @param rowCount the number of data rows, as counted at upload
     */
    public record Header(String datasetId, String name, long rowCount, List<String> columns, Map<String, ColumnType> types,
            int chunks, dev.mlpipeline.dataset.csv.CsvFormat format) {
    }

    /** The dataset's header, or {@link NotFoundException}. */
    public Uni<Header> open(String datasetId) {
        return datasets.readHeader(datasetId)
                .onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", datasetId))
                .map(h -> new Header(datasetId, h.name(), h.rowCount(), List.copyOf(h.schema().types().keySet()),
                        h.schema().types(), h.chunks(), h.schema().format()));
    }

    /** Data records, one at a time. */
    public interface Cursor extends Closeable {
        /** @return the next record's cleaned cells (null = missing), or null at the end */
        String[] next() throws IOException;
    }

    /**
     * A cursor over the dataset's data rows (the header skipped). It BLOCKS while a chunk is read: use
     * it on a worker thread only, never on an event loop.
     */
    public Cursor cursor(Header header) throws IOException {
        RecordCleaner cleaner = new RecordCleaner(header.format(), List.copyOf(header.types().values()));
        CsvReader reader = header.format().reader(new ChunkStream(header.datasetId(), header.chunks()));
        reader.next(); // the header
        return new Cursor() {
            @Override
            public String[] next() throws IOException {
                String[] record = reader.next();
                return record == null ? null : cleaner.clean(record);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** The chunks as one stream; the next chunk is fetched while the current one is read. */
    private final class ChunkStream extends InputStream {
        private final String datasetId;
        private final int chunks;
        private int nextSeq;
        private byte[] current = new byte[0];
        private int position;
        private CompletableFuture<byte[]> prefetch;

        ChunkStream(String datasetId, int chunks) {
            this.datasetId = datasetId;
            this.chunks = chunks;
            this.prefetch = fetch(0);
        }

        private CompletableFuture<byte[]> fetch(int seq) {
            return seq < chunks ? datasets.readChunk(datasetId, seq).subscribeAsCompletionStage() : null;
        }

        private boolean advance() throws IOException {
            while (position >= current.length) {
                if (prefetch == null) {
                    return false;
                }
                try {
                    current = prefetch.get(CHUNK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading dataset " + datasetId);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IOException("Could not read chunk " + nextSeq + " of dataset " + datasetId + ": " + e.getMessage(), e);
                }
                if (current == null) {
                    current = new byte[0];
                }
                position = 0;
                nextSeq++;
                prefetch = fetch(nextSeq);
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return advance() ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!advance()) {
                return -1;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            if (prefetch != null) {
                prefetch.cancel(false);
            }
        }
    }
}
