package dev.mlpipeline.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.common.PayloadTooLargeException;
import dev.mlpipeline.dataset.csv.ColumnProfile;
import dev.mlpipeline.dataset.csv.CsvFormatException;
import dev.mlpipeline.dataset.csv.CsvOptionException;
import dev.mlpipeline.dataset.csv.CsvOptions;
import dev.mlpipeline.dataset.csv.CsvProfile;
import dev.mlpipeline.dataset.csv.CsvProfiler;
import dev.mlpipeline.dataset.csv.CsvReader;
import dev.mlpipeline.dataset.csv.RecordCleaner;
import dev.mlpipeline.dataset.dto.DatasetPreviewResponse;
import dev.mlpipeline.pipeline.ColumnType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Upload, listing, preview and deletion of datasets. */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);
    /** Size of the dataset_chunk rows the CSV bytes are stored in. */
    static final int CHUNK_SIZE = 1 << 20;
    public static final int MAX_PREVIEW_ROWS = 1000;

    @Inject
    DatasetRepository datasets;

    @Inject
    MlpipelineConfig config;

    /**
     * Validates and profiles an uploaded CSV file (on a worker thread), then streams its bytes into
     * PostgreSQL chunk by chunk in one transaction. A file that fails validation stores nothing.
     *
     * @param file the upload, already spooled to a temporary file by the HTTP layer
     * @param options separator, missing-value markers and declared column types from the upload
     * @throws InvalidInputException (400) when the file is not an acceptable CSV file, its separator
     *     cannot be told, or a declared column type names no column or contradicts a value
     */
    public Uni<Dataset> uploadDataset(Path file, String filename, String name, CsvOptions options) {
        String createdBy = dev.mlpipeline.security.Actor.currentName();
        return Offload.io(() -> profile(file, options))
                .flatMap(profile -> Panache.withTransaction(() -> store(file, filename, name, profile, createdBy)))
                .invoke(d -> LOG.infof("Stored dataset %s (%s, %d rows, %d bytes)", d.id, d.filename, d.rowCount, d.sizeBytes));
    }

    private CsvProfile profile(Path file, CsvOptions options) throws IOException {
        long size = Files.size(file);
        if (size > config.datasets().maxUploadSize().asLongValue()) {
            throw tooLarge(size);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new CsvProfiler().profile(in, options);
        } catch (CsvFormatException e) {
            throw new InvalidInputException("The file is not a valid CSV dataset: " + e.getMessage());
        } catch (CsvOptionException e) {
            throw InvalidInputException.forField(e.field(), e.getMessage());
        }
    }

    private PayloadTooLargeException tooLarge(long size) {
        return new PayloadTooLargeException("The file is " + size + " bytes; datasets are limited to "
                + config.datasets().maxUploadSize().asLongValue() + " bytes (mlpipeline.datasets.max-upload-size).");
    }

    private Uni<Dataset> store(Path file, String filename, String name, CsvProfile profile, String createdBy) {
        Dataset dataset = new Dataset();
        dataset.createdBy = createdBy;
        dataset.id = Ids.next("ds");
        dataset.filename = filename;
        dataset.name = name;
        dataset.sizeBytes = profile.sizeBytes();
        dataset.sha256 = profile.sha256();
        dataset.rowCount = profile.rowCount();
        dataset.columnCount = profile.columns().size();
        dataset.schema = new Dataset.Schema(profile.columns().stream().map(DatasetService::toColumn).toList(),
                Dataset.Format.of(profile.format()), profile.warnings().stream().map(DatasetWarning::of).toList());
        dataset.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int chunks = (int) ((profile.sizeBytes() + CHUNK_SIZE - 1) / CHUNK_SIZE);
        return datasets.persistAndFlush(dataset)
                .flatMap(saved -> Multi.createFrom().range(0, chunks)
                        .onItem().transformToUniAndConcatenate(seq -> Offload.io(() -> readChunk(file, seq))
                                .flatMap(bytes -> datasets.insertChunk(dataset.id, seq, bytes)))
                        .collect().last()
                        .replaceWith(saved));
    }

    private static byte[] readChunk(Path file, int seq) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long offset = (long) seq * CHUNK_SIZE;
            int length = (int) Math.min(CHUNK_SIZE, raf.length() - offset);
            byte[] bytes = new byte[length];
            raf.seek(offset);
            raf.readFully(bytes);
            return bytes;
        }
    }

    private static DatasetColumn toColumn(ColumnProfile c) {
        return new DatasetColumn(c.name(), c.type().wireName(), c.missing(), c.distinct(), c.distinctExact(),
                c.missingMarkers(), c.likelyIdentifier());
    }

    /** Every dataset, newest first. */
    @WithSession
    public Uni<List<Dataset>> listDatasets() {
        return datasets.listNewestFirst();
    }

    /** The dataset, or {@link NotFoundException}. */
    @WithSession
    public Uni<Dataset> getDataset(String id) {
        return findOrFail(id);
    }

    private Uni<Dataset> findOrFail(String id) {
        return datasets.findById(id).onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", id));
    }

    /**
     * The first {@code limit} rows, read from as few content chunks as needed: the bytes are
     * parsed up to the last complete line of what has been loaded, and one more chunk is loaded
     * while that is not enough.
     */
    @WithSession
    public Uni<DatasetPreviewResponse> previewDataset(String id, int limit) {
        return findOrFail(id).flatMap(dataset -> previewFrom(dataset, limit, new ArrayList<>(), 0));
    }

    private Uni<DatasetPreviewResponse> previewFrom(Dataset dataset, int limit, List<byte[]> loaded, int next) {
        return datasets.findChunk(dataset.id, next).flatMap(chunk -> {
            boolean atEnd = chunk == null;
            if (!atEnd) {
                loaded.add(chunk);
            }
            byte[] bytes = concat(loaded);
            int usable = atEnd ? bytes.length : lastNewline(bytes) + 1;
            DatasetPreviewResponse preview = tryPreview(dataset, bytes, usable, limit, atEnd);
            if (preview != null) {
                return Uni.createFrom().item(preview);
            }
            return previewFrom(dataset, limit, loaded, next + 1);
        });
    }

    /** The preview, or null when more bytes are needed to complete it. */
    private static DatasetPreviewResponse tryPreview(Dataset dataset, byte[] bytes, int usable, int limit, boolean atEnd) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> names = dataset.columns().stream().map(DatasetColumn::name).toList();
        RecordCleaner cleaner = new RecordCleaner(dataset.format(), dataset.columns().stream()
                .map(c -> c.numeric() ? ColumnType.NUMERIC : ColumnType.CATEGORICAL).toList());
        try (CsvReader reader = dataset.format().reader(new ByteArrayInputStream(bytes, 0, Math.max(usable, 0)))) {
            reader.next(); // header
            String[] record;
            while (rows.size() < limit && (record = reader.next()) != null) {
                cleaner.clean(record);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    row.put(names.get(i), typed(dataset.columns().get(i), record[i]));
                }
                rows.add(row);
            }
        } catch (CsvFormatException | IOException e) {
            if (atEnd) {
                throw new IllegalStateException("Stored dataset " + dataset.id + " no longer parses", e);
            }
            return null; // a quoted field runs past what is loaded
        }
        return rows.size() >= limit || atEnd ? new DatasetPreviewResponse(names, rows) : null;
    }

    static Object typed(DatasetColumn column, String value) {
        if (value == null || !column.numeric()) {
            return value;
        }
        double d = Double.parseDouble(value);
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && !value.contains("e") && !value.contains("E") && !value.contains(".")) {
            return (long) d;
        }
        return d;
    }

    private static byte[] concat(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.getFirst();
        }
        int total = parts.stream().mapToInt(p -> p.length).sum();
        byte[] out = new byte[total];
        int offset = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, offset, p.length);
            offset += p.length;
        }
        return out;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Deletes a dataset and its content. Refused with {@link ConflictException} while any training
     * or tuning job or deployment refers to it (the foreign keys enforce the same rule if a job is
     * created concurrently).
     */
    public Uni<Void> deleteDataset(String id) {
        return Panache.withTransaction(() -> findOrFail(id)
                .flatMap(dataset -> datasets.countReferences(id).flatMap(refs -> {
                    if (refs > 0) {
                        return Uni.createFrom().failure(new ConflictException("Dataset '" + id + "' is used by "
                                + refs + " job(s) or deployment(s); delete is only possible while nothing refers to it."));
                    }
                    return datasets.delete(dataset);
                })))
                .onFailure(DatasetService::isForeignKeyViolation)
                .transform(e -> new ConflictException("Dataset '" + id + "' is used by a job or deployment created meanwhile."));
    }

    private static boolean isForeignKeyViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("23503")) {
                return true;
            }
        }
        return false;
    }
}
