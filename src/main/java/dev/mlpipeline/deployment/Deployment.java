package dev.mlpipeline.deployment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import dev.mlpipeline.dataset.Dataset;

/**
 * One deployment of a model version. At most one row is active (partial unique index); the rest
 * are history, each closed by {@code deactivated_at} when the next one replaced it.
 */
@Entity
@Table(name = "deployment")
public class Deployment {

    @Id
    public String id;

    @Column(name = "job_id")
    public String jobId;

    public String source;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "dataset_id")
    public Dataset dataset;

    @Column(name = "model_type")
    public String modelType;

    public int version;

    @Column(name = "is_active")
    public boolean active;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "deactivated_at")
    public Instant deactivatedAt;

    /** Who deployed it (the request's actor), or null. */
    @Column(name = "deployed_by")
    public String deployedBy;

    /** Why, as given to deploy or rollback, or null. */
    public String reason;
}
