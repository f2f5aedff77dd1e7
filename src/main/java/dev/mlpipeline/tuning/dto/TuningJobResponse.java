package dev.mlpipeline.tuning.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.training.dto.TrainingJobResponse;
import dev.mlpipeline.tuning.HyperparameterTuningJob;

/** A tuning job: every training-job field, plus the search and its trials. */
@Schema(name = "TuningJob")
public record TuningJobResponse(
        @JsonUnwrapped TrainingJobResponse job,
        @Schema(enumeration = {
                "grid", "random" }) String strategy,
        Map<String, Object> searchSpace,
        @Schema(description = "Configurations drawn by a random search", nullable = true) Integer nIter,
        int cvFolds,
        String scoring,
        @Schema(description = "Evaluated configurations; null in lists (get one job for them)", nullable = true) List<TrialResponse> trials,
        @Schema(description = "The best configuration, once found", nullable = true) Map<String, Object> bestParams,
        @Schema(description = "Mean cross-validation score of best_params", nullable = true) Double bestScore) {

    @Schema(name = "TuningTrial")
    public record TrialResponse(int trialIndex, Map<String, Object> params, double meanScore, double stdScore,
            List<Double> foldScores, long durationMs,
            @Schema(description = "The replica (its claimed_by name) whose worker cross-validated the trial; null for trials stored before trials were queue work",
                    nullable = true, examples = "replica-3f9c2a1b") String replica) {
    }

    public static TuningJobResponse of(HyperparameterTuningJob j, List<TrialResponse> trials) {
        return new TuningJobResponse(TrainingJobResponse.of(j, JobKind.TUNING), j.strategy, j.searchSpace, j.nIter,
                j.cvFolds, j.scoring, trials, j.bestParams, j.bestScore);
    }
}
