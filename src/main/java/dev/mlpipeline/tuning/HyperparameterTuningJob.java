package dev.mlpipeline.tuning;

import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.mlpipeline.jobs.JobEntity;

/**
 * A hyperparameter search with cross-validation ("advanced training with tuning"); when
 * COMPLETED, the best configuration refit on the training split is a model version.
 */
@Entity
@Table(name = "tuning_job")
public class HyperparameterTuningJob extends JobEntity {

    public String strategy;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "search_space")
    public Map<String, Object> searchSpace;

    @Column(name = "n_iter")
    public Integer nIter;

    @Column(name = "cv_folds")
    public int cvFolds;

    public String scoring;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "best_params")
    public Map<String, Object> bestParams;

    @Column(name = "best_score")
    public Double bestScore;
}
