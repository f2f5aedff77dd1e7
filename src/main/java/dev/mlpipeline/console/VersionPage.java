package dev.mlpipeline.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.registry.ModelRegistryService;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.tuning.TuningJobService;
import dev.mlpipeline.tuning.dto.TuningJobResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The page of one model version: its lineage as {@code GET /api/registry/models/{model_type}/versions/{version}}
 * gives it, the trials of a tuning job with a chart of their scores, and the actions on the version.
 */
@Path("/console/models")
@Produces(MediaType.TEXT_HTML)
public class VersionPage {

    @Inject
    ModelRegistryService registry;

    @Inject
    TuningJobService tuning;

    @TemplateData
    public record Trial(int index, String params, String mean, String std, String duration, boolean best) {
    }

    @TemplateData
    public record Version(ModelVersionLineageResponse v, String datasetId, String task, List<Views.Pair> metrics,
            List<Views.Pair> hyperparameters, List<Views.Pair> preprocessing, List<Views.Pair> tuningSummary,
            List<Trial> trials, String trialsChart, String features, String created, String started, String completed,
            String duration, String artifactSize) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance version(Version version);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    @GET
    @Path("/{model_type}/versions/{version}")
    public Uni<TemplateInstance> getModelVersion(@PathParam("model_type") String modelType, @PathParam("version") int version,
            @QueryParam("dataset_id") String datasetId) {
        return registry.getModelVersion(modelType, version, Views.blankToNull(datasetId))
                .flatMap(v -> "tuning".equals(v.source())
                        ? tuning.getTuningJob(v.jobId()).map(t -> view(v, t))
                        : Uni.createFrom().item(view(v, null)))
                .map(Templates::version);
    }

    static Version view(ModelVersionLineageResponse v, TuningJobResponse t) {
        List<Views.Pair> tuningSummary = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        StringBuilder chart = new StringBuilder("[");
        if (v.tuning() != null) {
            var s = v.tuning();
            tuningSummary.add(new Views.Pair("strategy", s.strategy()));
            tuningSummary.add(new Views.Pair("scoring", s.scoring()));
            tuningSummary.add(new Views.Pair("cv_folds", String.valueOf(s.cvFolds())));
            tuningSummary.add(new Views.Pair("best_score", s.bestScore() == null ? "–" : Views.formatDouble(s.bestScore())));
            tuningSummary.add(new Views.Pair("best_params", s.bestParams() == null ? "–" : s.bestParams()));
            tuningSummary.add(new Views.Pair("search_space", s.searchSpace()));
            tuningSummary.add(new Views.Pair("trials", String.valueOf(s.trialCount())));
        }
        if (t != null && t.trials() != null) {
            Integer best = v.tuning() == null ? null : v.tuning().bestTrialIndex();
            for (TuningJobResponse.TrialResponse r : t.trials()) {
                trials.add(new Trial(r.trialIndex(), Views.json(r.params()), Views.formatDouble(r.meanScore()),
                        Views.formatDouble(r.stdScore()), r.durationMs() + " ms", best != null && best == r.trialIndex()));
                chart.append(chart.length() > 1 ? "," : "").append("[").append(r.trialIndex()).append(",").append(r.meanScore())
                        .append(",").append(r.stdScore()).append("]");
            }
        }
        chart.append("]");
        Map<String, Object> metrics = Views.object(v.metrics());
        return new Version(v, v.dataset().id(), v.task(), Views.pairs(metrics), Views.pairs(Views.object(v.hyperparameters())),
                Views.pairs(Views.object(v.preprocessing())), tuningSummary, trials, chart.toString(),
                String.join(", ", v.featureColumns()), Views.time(v.timings().createdAt()), Views.time(v.timings().startedAt()),
                Views.time(v.timings().completedAt()), v.timings().durationMs() == null ? "–" : v.timings().durationMs() + " ms",
                Views.bytes(v.artifact().sizeBytes()));
    }
}
