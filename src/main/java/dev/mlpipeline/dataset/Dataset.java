package dev.mlpipeline.dataset;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An uploaded CSV file: its inferred schema and statistics. The bytes themselves live in
 * {@code dataset_chunk} rows and are never loaded with the entity.
 */
@Entity
@Table(name = "dataset")
public class Dataset {

    @Id
    public String id;

    public String name;

    public String filename;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;

    @Column(name = "row_count")
    public long rowCount;

    @Column(name = "column_count")
    public int columnCount;

    /** Stored as {@code {"columns": [...]}}: jsonb columns hold objects (see V1__data_model.sql). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "columns")
    public Schema schema;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Who uploaded it (the request's actor), or null. */
    @Column(name = "created_by")
    public String createdBy;

    public List<DatasetColumn> columns() {
        return schema.columns();
    }

    /** The column of that name, if the dataset has one. */
    public java.util.Optional<DatasetColumn> column(String columnName) {
        return columns().stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** How the file is read: the format decided at upload, or the legacy one for older datasets. */
    public dev.mlpipeline.dataset.csv.CsvFormat format() {
        return schema.format() == null ? dev.mlpipeline.dataset.csv.CsvFormat.LEGACY : schema.format().toCsvFormat();
    }

    /**
     * The inferred schema: every column in file order, how the file is read and the upload's
     * warnings. {@code format} and {@code warnings} are null in datasets stored before they existed
     * (read with {@link dev.mlpipeline.dataset.csv.CsvFormat#LEGACY}).
     */
    public record Schema(List<DatasetColumn> columns, Format format, List<DatasetWarning> warnings) {
    }

    /**
     * The stored form of {@link dev.mlpipeline.dataset.csv.CsvFormat}.
     *
     * @param delimiter the separator, one character
     * @param trim whether unquoted values are trimmed
     * @param naValues values read as missing besides the empty field
     */
    public record Format(String delimiter, boolean trim, List<String> naValues) {

        static Format of(dev.mlpipeline.dataset.csv.CsvFormat f) {
            return new Format(String.valueOf(f.delimiter()), f.trim(), f.naValues());
        }

        public dev.mlpipeline.dataset.csv.CsvFormat toCsvFormat() {
            return new dev.mlpipeline.dataset.csv.CsvFormat(delimiter.charAt(0), trim, naValues == null ? List.of() : naValues);
        }
    }
}
