package dev.mlpipeline.jobs;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * What a job view shows of its artifact. The bytes are deliberately not mapped: they are written
 * by {@link JobQueue#complete} and read only by the deployment's model loader.
 */
@Entity
@Table(name = "model_artifact")
public class ModelArtifact {

    @Id
    public String id;

    public String sha256;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String format;

    @Column(name = "created_at")
    public Instant createdAt;
}
