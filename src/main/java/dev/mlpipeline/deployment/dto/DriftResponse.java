package dev.mlpipeline.deployment.dto;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.deployment.DriftService;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.Drift;
import dev.mlpipeline.pipeline.TrainingProfile.Histogram;

/** Drift of the active deployment's logged inputs and predictions against its version's training profile. */
@Schema(name = "DriftResponse",
        description = "Population stability index (PSI) per feature and for the predictions, over the logged rows of a time window, against the training split (features) and the test split (predictions)")
public record DriftResponse(
        String deploymentId,
        String jobId,
        String modelType,
        int version,
        @Schema(description = "Start of the window (inclusive)") Instant since,
        @Schema(description = "End of the window (exclusive)") Instant until,
        @Schema(description = "Logged rows compared: the newest of the window, at most mlpipeline.drift.max-rows") int rows,
        @Schema(description = "True when the window held more logged rows than were compared") boolean truncated,
        @Schema(description = "A feature or the predictions are flagged when their PSI is above this (mlpipeline.drift.psi-threshold)") double psiThreshold,
        @Schema(description = "The flagged features, in model order") List<String> flaggedFeatures,
        @Schema(description = "One per input feature, in model order") List<FeatureDrift> features,
        PredictionDrift predictions) {

    @Schema(name = "FeatureDrift", description = "One input feature: its present values binned as in training, and its share of missing values")
    public record FeatureDrift(
            String name,
            @Schema(enumeration = {
                    "numeric", "categorical" }) String type,
            @Schema(description = "Population stability index of the present values; null when the window has none", nullable = true) Double psi,
            @Schema(description = "psi > psi_threshold") boolean flagged,
            @Schema(description = "Fraction (0..1) of the window's rows where the feature was missing (imputed); null without rows",
                    nullable = true) Double missingShare,
            @Schema(description = "Fraction (0..1) of training rows where it was missing") double trainingMissingShare,
            @Schema(description = "Numeric: the training decile bins; categorical: the training levels, then the bin of values matching none") List<DriftBin> bins) {
    }

    @Schema(name = "PredictionDrift", description = "The predictions of the window against those of the version on its test split")
    public record PredictionDrift(
            @Schema(description = "Population stability index; null when the window has no rows", nullable = true) Double psi,
            @Schema(description = "psi > psi_threshold") boolean flagged,
            @Schema(description = "Classification: one bin per class label; regression: the decile bins of the test split's predictions") List<DriftBin> bins) {
    }

    @Schema(name = "DriftBin", description = "One bin: a level (categorical), or the interval (lower, upper] (numeric; null = unbounded). "
            + "A categorical feature's last bin, with level, lower and upper all null, holds values matching no training level.")
    public record DriftBin(
            @Schema(description = "The level or class label; null for numeric bins and for the unseen bin", nullable = true) String level,
            @Schema(description = "Numeric: exclusive lower bound; null when unbounded or categorical", nullable = true) Double lower,
            @Schema(description = "Numeric: inclusive upper bound; null when unbounded or categorical", nullable = true) Double upper,
            @Schema(description = "Fraction (0..1) of the present training values (test-split predictions) in this bin") double trainingShare,
            @Schema(description = "Fraction (0..1) of the present logged values in this bin; null when the window has none",
                    nullable = true) Double liveShare) {
    }

    public static DriftResponse of(DriftService.Result r) {
        Drift.Report report = r.report();
        List<FeatureDrift> features = new ArrayList<>();
        for (Drift.FeatureDrift f : report.features()) {
            features.add(new FeatureDrift(f.name(), f.type() == ColumnType.NUMERIC ? "numeric" : "categorical", f.distribution().psi(),
                    f.distribution().flagged(), f.missingShare(), f.trainingMissingRate(), bins(f.distribution())));
        }
        return new DriftResponse(r.target().deploymentId(), r.target().jobId(), r.target().modelType(), r.target().version(), r.since(),
                r.until(), report.rows(), r.truncated(), r.threshold(), report.flaggedFeatures(), features,
                new PredictionDrift(report.predictions().psi(), report.predictions().flagged(), bins(report.predictions())));
    }

    private static List<DriftBin> bins(Drift.Distribution d) {
        Histogram h = d.training();
        List<DriftBin> bins = new ArrayList<>(h.bins());
        for (int i = 0; i < h.bins(); i++) {
            Double live = d.live() == null ? null : d.live().get(i);
            if (h.numeric()) {
                bins.add(new DriftBin(null, i == 0 ? null : h.edges().get(i - 1), i == h.edges().size() ? null : h.edges().get(i),
                        h.shares().get(i), live));
            } else {
                bins.add(new DriftBin(i < h.levels().size() ? h.levels().get(i) : null, null, null, h.shares().get(i), live));
            }
        }
        return bins;
    }
}
