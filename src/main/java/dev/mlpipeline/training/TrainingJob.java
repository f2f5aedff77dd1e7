package dev.mlpipeline.training;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.mlpipeline.jobs.JobEntity;

/** A request to fit one model with fixed hyperparameters; when COMPLETED, a model version. */
@Entity
@Table(name = "training_job")
public class TrainingJob extends JobEntity {
}
