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

    @JdbcTypeCode(SqlTypes.JSON)
    public List<DatasetColumn> columns;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The column of that name, if the dataset has one. */
    public java.util.Optional<DatasetColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }
}
