package dev.mlpipeline.deployment.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.pipeline.Explanation;

/** The explanation of one predicted row (see {@link Explanation}). */
@Schema(name = "Explanation",
        description = "Additive explanation of one row: for every output key (each class label for classification, \"value\" for regression), base_value + the sum of contributions = raw_output to 1e-6. Tree models: TreeSHAP (path-dependent, exact); linear and logistic regression: coefficient x (standardized value - training mean), base = output at the training means. A categorical feature's contribution is the sum over its one-hot levels.")
public record ExplanationResponse(
        @Schema(description = "Output key → expected raw output over the training data") Map<String, Double> baseValue,
        @Schema(description = "Output key → (input feature → contribution), every feature of the model") Map<String, Map<String, Double>> contributions,
        @Schema(description = "Output key → the raw output explained (see explanation_output)") Map<String, Double> rawOutput,
        @Schema(description = "Features that were missing in the row and imputed as in training; their contribution is that of the imputed value") List<String> imputedFeatures) {

    /** @param e a pipeline explanation @return its response form */
    public static ExplanationResponse of(Explanation e) {
        return new ExplanationResponse(e.baseValue(), e.contributions(), e.rawOutput(), e.imputedFeatures());
    }
}
