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

    public List<DatasetColumn> columns() {
        return schema.columns();
    }

    /** The column of that name, if the dataset has one. */
    public java.util.Optional<DatasetColumn> column(String columnName) {
        return columns().stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The inferred schema: every column in file order. */
    public record Schema(List<DatasetColumn> columns) {
    }
}
