package dev.mlpipeline.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.common.DomainException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.deployment.DeploymentResource;
import dev.mlpipeline.deployment.DeploymentService;
import dev.mlpipeline.deployment.DriftService;
import dev.mlpipeline.deployment.dto.DeploymentResponse;
import dev.mlpipeline.deployment.dto.DriftResponse;
import dev.mlpipeline.deployment.dto.ExplanationResponse;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.registry.VersionSchemas;
import dev.mlpipeline.registry.dto.ModelVersionSchemaResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The predict form generated from the active model's input schema. Predictions go to
 * {@link DeploymentResource#predict}, so that the form's row and a JSON batch are read exactly as
 * {@code POST /api/deployments/predict} reads its body (with {@code explain=true} when the "explain"
 * box is ticked: each row's contributions are drawn as a chart). The drift of the live inputs comes
 * from {@link DriftService}, as {@code GET /api/deployments/active/drift} over its default window.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class PredictPages {

    @Inject
    DeploymentService deployments;

    @Inject
    DeploymentResource api;

    @Inject
    VersionSchemas schemas;

    @Inject
    DriftService drift;

    @TemplateData
    public record Input(String id, String name, String type, List<String> levels, String hint, String min, String max) {
    }

    @TemplateData
    public record Predict(DeploymentPages.Item active, String task, String target, List<Input> inputs, String example, String unavailable) {
    }

    @TemplateData
    public record Bar(String label, String percent, String value, boolean top) {
    }

    @TemplateData
    public record Answer(int row, String prediction, List<Bar> probabilities, List<String> missing, List<String> unseen,
            Explained explanation) {
    }

    /** One feature's contribution to the explained output; {@code imputed} when the row lacked it. */
    @TemplateData
    public record Contribution(String feature, String value, boolean imputed, boolean negative) {
    }

    /**
     * The explanation of one row for one output key (the predicted class, or {@code value}):
     * {@code base + Σ contributions = raw}, in the units of {@code output}; {@code chart} is
     * {@code [[feature, contribution], …]} by decreasing magnitude.
     */
    @TemplateData
    public record Explained(String key, String output, String base, String raw, List<Contribution> contributions, String chart) {
    }

    @TemplateData
    public record Result(String model, List<Answer> answers, List<String> ignored) {
    }

    /** One row of the drift table. */
    @TemplateData
    public record DriftRow(String feature, String type, String psi, boolean flagged, String missingShare, String trainingMissingShare) {
    }

    /** The drift of the live inputs, or why there is none ({@code unavailable}). */
    @TemplateData
    public record DriftView(String model, String since, String until, int rows, boolean truncated, String threshold,
            List<DriftRow> features, String predictionsPsi, boolean predictionsFlagged, String unavailable) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance predict(Predict predict);

        static native TemplateInstance predict$result(Result result);

        static native TemplateInstance predict$drift(DriftView drift);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    @GET
    @Path("/predict")
    public Uni<TemplateInstance> getActiveDeployment() {
        return deployments.getActiveDeployment().map(DeploymentResponse::of)
                .flatMap(d -> schemas.getModelVersionSchema(d.modelType(), d.version(), d.datasetId())
                        .map(s -> predictView(DeploymentPages.item(d), s)))
                .onFailure(NotFoundException.class)
                .recoverWithItem(e -> new Predict(null, null, null, List.of(), "[]", e.getMessage()))
                .map(Templates::predict);
    }

    static Predict predictView(DeploymentPages.Item active, ModelVersionSchemaResponse s) {
        List<Input> inputs = new ArrayList<>();
        Map<String, Object> example = new LinkedHashMap<>();
        int i = 0;
        for (ModelVersionSchemaResponse.Feature f : s.features()) {
            String missing = f.missingRate() == null ? "" : " Missing in " + Views.percent(f.missingRate()) + " % of training rows.";
            String hint;
            if ("numeric".equals(f.type())) {
                hint = (f.min() == null ? "Number." : "Training range " + Views.formatDouble(f.min()) + " … " + Views.formatDouble(f.max()) + ".")
                        + missing + " Empty: imputed with " + Views.number(f.imputedWith()) + ".";
            } else {
                hint = f.levels().size() + " training levels." + missing + " Empty: imputed with " + f.imputedWith() + ".";
            }
            inputs.add(new Input("in-" + i++, f.name(), f.type(), f.levels(), hint,
                    f.min() == null ? null : Views.formatDouble(f.min()), f.max() == null ? null : Views.formatDouble(f.max())));
            example.put(f.name(), f.imputedWith());
        }
        return new Predict(active, s.task(), s.targetColumn(), inputs, Views.json(List.of(example)), null);
    }

    /**
     * One row from the generated form (empty fields are left out, so they count as missing), or a
     * JSON batch from the {@code rows} field; either is sent to the predict operation as its body.
     */
    @POST
    @Path("/predict")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> predict(MultivaluedMap<String, String> form) {
        return Uni.createFrom().deferred(() -> {
            String json = form.getFirst("rows");
            byte[] body;
            if (json != null && !json.isBlank()) {
                body = json.getBytes(StandardCharsets.UTF_8);
            } else {
                Map<String, Object> row = new LinkedHashMap<>();
                form.forEach((k, v) -> {
                    if (k.startsWith("f.") && !v.isEmpty() && !v.getFirst().isBlank()) {
                        row.put(k.substring(2), typed(form.getFirst("t." + k.substring(2)), v.getFirst().strip()));
                    }
                });
                body = Views.json(List.of(row)).getBytes(StandardCharsets.UTF_8);
            }
            String explain = form.getFirst("explain");
            try {
                return api.predict(body, null, "true".equals(explain) || "on".equals(explain) ? "true" : null);
            } catch (java.io.IOException e) {
                // answered as the API answers a malformed body (ProblemMapper)
                return Uni.createFrom().failure(e);
            }
        }).map(PredictPages::result).map(Templates::predict$result);
    }

    /** A numeric field's text as a number when it is one (the predict body's JSON type); anything else as typed. */
    private static Object typed(String type, String value) {
        if ("numeric".equals(type)) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }

    static Result result(PredictionResponse p) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < p.predictions().size(); i++) {
            List<Bar> bars = new ArrayList<>();
            if (p.probabilities() != null && p.probabilities().get(i) != null) {
                Map<String, Double> probs = p.probabilities().get(i);
                double max = probs.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                probs.forEach((label, prob) -> bars.add(new Bar(label, Views.percent(prob), Views.formatDouble(prob), prob == max)));
            }
            Object predicted = p.predictions().get(i);
            Explained explained = p.explanations() == null || p.explanations().get(i) == null ? null
                    : explained(p.explanations().get(i), String.valueOf(predicted), p.explanationOutput());
            answers.add(new Answer(i, predicted instanceof Number ? Views.number(predicted) : String.valueOf(predicted), bars,
                    p.missingColumns().get(i), p.unseenCategories().get(i).entrySet().stream()
                            .map(e -> e.getKey() + " = " + e.getValue()).toList(),
                    explained));
        }
        return new Result(p.modelType() + " v" + p.version() + " (" + p.deploymentId() + ")", answers, p.ignoredColumns());
    }

    /**
     * The explanation of the predicted class (classification; or the only key, {@code value}, for
     * regression), its contributions by decreasing magnitude.
     */
    static Explained explained(ExplanationResponse e, String predicted, String output) {
        if (e.contributions() == null || e.contributions().isEmpty()) {
            return null;
        }
        String key = e.contributions().containsKey(predicted) ? predicted : e.contributions().keySet().iterator().next();
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(e.contributions().get(key).entrySet());
        sorted.sort((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())));
        List<Contribution> rows = new ArrayList<>();
        List<List<Object>> chart = new ArrayList<>();
        List<String> imputed = e.imputedFeatures() == null ? List.of() : e.imputedFeatures();
        for (Map.Entry<String, Double> c : sorted) {
            boolean wasImputed = imputed.contains(c.getKey());
            rows.add(new Contribution(c.getKey(), Views.formatDouble(c.getValue()), wasImputed, c.getValue() < 0));
            chart.add(List.of(c.getKey() + (wasImputed ? " (imputed)" : ""), c.getValue()));
        }
        return new Explained(key, output, Views.formatDouble(e.baseValue().get(key)), Views.formatDouble(e.rawOutput().get(key)), rows,
                Views.json(chart));
    }

    /** The drift table: the active deployment's live inputs over the default window, as {@code GET /api/deployments/active/drift}. */
    @GET
    @Path("/predict/drift")
    public Uni<TemplateInstance> getDrift() {
        return Uni.createFrom().deferred(() -> drift.getDrift(null, null)).map(DriftResponse::of).map(PredictPages::driftView)
                .onFailure(DomainException.class)
                .recoverWithItem(e -> new DriftView(null, null, null, 0, false, null, List.of(), null, false, e.getMessage()))
                .map(Templates::predict$drift);
    }

    static DriftView driftView(DriftResponse d) {
        List<DriftRow> rows = new ArrayList<>();
        for (DriftResponse.FeatureDrift f : d.features()) {
            rows.add(new DriftRow(f.name(), f.type(), f.psi() == null ? "–" : Views.formatDouble(f.psi()), f.flagged(),
                    f.missingShare() == null ? "–" : Views.percent(f.missingShare()) + " %", Views.percent(f.trainingMissingShare()) + " %"));
        }
        return new DriftView(d.modelType() + " v" + d.version(), Views.time(d.since()), Views.time(d.until()), d.rows(), d.truncated(),
                Views.formatDouble(d.psiThreshold()), rows, d.predictions().psi() == null ? "–" : Views.formatDouble(d.predictions().psi()),
                d.predictions().flagged(), null);
    }
}
