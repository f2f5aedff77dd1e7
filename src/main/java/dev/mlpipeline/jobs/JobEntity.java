package dev.mlpipeline.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.mlpipeline.dataset.Dataset;

/**
 * Columns shared by training and tuning jobs. State changes after creation go through
 * {@link JobQueue}; the entity is created through Panache and otherwise read.
 */
@MappedSuperclass
public abstract class JobEntity {

    @Id
    public String id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "dataset_id")
    public Dataset dataset;

    @Column(name = "model_type")
    public String modelType;

    public String task;

    @Column(name = "target_column")
    public String targetColumn;

    @Column(name = "feature_columns")
    public String[] featureColumns;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> hyperparameters;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> preprocessing;

    @Column(name = "test_size")
    public double testSize;

    @Column(name = "random_seed")
    public long randomSeed;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    public double progress;

    public String error;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metrics;

    public Integer version;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "artifact_id")
    public ModelArtifact artifact;

    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Who submitted it (the request's actor), or null. */
    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** Wall time from start to end, or null while not finished. */
    public Long durationMs() {
        return startedAt == null || completedAt == null ? null : Duration.between(startedAt, completedAt).toMillis();
    }
}
