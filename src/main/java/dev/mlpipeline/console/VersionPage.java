package dev.mlpipeline.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.registry.ModelRegistryService;
import dev.mlpipeline.registry.RegistryMetadataService;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.SetModelAliasRequest;
import dev.mlpipeline.tuning.TuningJobService;
import dev.mlpipeline.tuning.dto.TuningJobResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The page of one model version: its lineage as {@code GET /api/registry/models/{model_type}/versions/{version}}
 * gives it, the trials of a tuning job with a chart of their scores, its feature importance as a chart,
 * and the actions on the version. The registry actions (set, move or remove an alias; archive and
 * unarchive; description and tags) call {@link RegistryMetadataService}, the service behind
 * {@code PUT/DELETE …/aliases/{alias}}, {@code POST …/archive|unarchive} and {@code PATCH …/versions/{version}};
 * a refusal re-renders the actions with the API's problem (status, detail, {@code errors[]}) next to
 * the field it names, and changes nothing.
 */
@Path("/console/models")
@Produces(MediaType.TEXT_HTML)
public class VersionPage {

    @Inject
    ModelRegistryService registry;

    @Inject
    TuningJobService tuning;

    @Inject
    RegistryMetadataService metadata;

    @TemplateData
    public record Trial(int index, String params, String mean, String std, String duration, boolean best) {
    }

    @TemplateData
    public record Version(ModelVersionLineageResponse v, String datasetId, String task, List<Views.Pair> metrics,
            List<Views.Pair> hyperparameters, List<Views.Pair> preprocessing, List<Views.Pair> tuningSummary,
            List<Trial> trials, String trialsChart, String features, String created, String started, String completed,
            String duration, String artifactSize, Importance importance) {
    }

    /** One feature's importance as shown: the model's own and the permutation importance (mean ± std). */
    @TemplateData
    public record ImportanceRow(String feature, String model, String mean, String std) {
    }

    /**
     * The version's feature importance: {@code chart} is {@code [[feature, model, mean, std], …]} for
     * the chart (nulls for absent values), {@code method} the model importance's kind.
     */
    @TemplateData
    public record Importance(String method, String scoring, int nRepeats, String baseline, List<ImportanceRow> rows, String chart) {
    }

    /** A tag of the edit form; {@code error} is the API's message for {@code tags.<key>}, or null. */
    @TemplateData
    public record TagRow(String id, String key, String value, String error) {
    }

    /**
     * The registry actions of a version and their state: {@code form} names the form a problem
     * belongs to (alias, archive, metadata), {@code detail} its message; field errors sit on their field.
     */
    @TemplateData
    public record Manage(String modelType, int version, String datasetId, String base, String query, boolean archived,
            boolean deployed, List<String> aliases, String description, List<TagRow> tags, String form, int status, String detail,
            String aliasValue, String aliasError, String descriptionError, String newTagKey, String newTagValue,
            String newTagError, String message, Views.Problem problem) {

        /** True when {@code name} is the form that was refused. */
        public boolean refused(String name) {
            return detail != null && name.equals(form);
        }

        /** The same view with the values the user typed into a refused form, so that nothing typed is lost. */
        Manage refill(MultivaluedMap<String, String> typed) {
            if (typed == null) {
                return this;
            }
            String newKey = typed.getFirst("new_tag_key") == null ? "" : typed.getFirst("new_tag_key").strip();
            List<TagRow> rows = tags.stream().map(t -> new TagRow(t.id(), t.key(),
                    typed.containsKey("tag." + t.key()) ? typed.getFirst("tag." + t.key()) : t.value(), t.error())).toList();
            String newError = null;
            if (!newKey.isEmpty() && detail != null) {
                // the API names a tag's problem tags.<key>; for the new tag that is the new-tag field's
                newError = tags.stream().anyMatch(t -> t.key().equals(newKey)) ? null
                        : problem.of("tags." + newKey);
            }
            return new Manage(modelType, version, datasetId, base, query, archived, deployed, aliases,
                    typed.containsKey("description") ? typed.getFirst("description") : description, rows, form, status, detail,
                    typed.getFirst("alias") == null ? aliasValue : typed.getFirst("alias"), aliasError, descriptionError, newKey,
                    typed.getFirst("new_tag_value") == null ? "" : typed.getFirst("new_tag_value"), newError, message, problem);
        }
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance version(Version version, Manage manage);

        static native TemplateInstance version$manage(Manage manage);
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
                .map(v -> Templates.version(v, manage(v.v(), null, null, null)));
    }

    /** Points an alias at this version (creating it, or moving it from another version), as {@code PUT …/aliases/{alias}} does. */
    @POST
    @Path("/{model_type}/versions/{version}/aliases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> setModelAlias(@PathParam("model_type") String modelType,
            @PathParam("version") int version, @QueryParam("dataset_id") String datasetId, MultivaluedMap<String, String> form) {
        String alias = form.getFirst("alias") == null ? "" : form.getFirst("alias").strip();
        return act(modelType, version, datasetId, "alias", form,
                ds -> metadata.setModelAlias(modelType, alias, new SetModelAliasRequest(ds, version)).replaceWithVoid(),
                "Alias " + alias + " points at v" + version + ".");
    }

    /** Removes an alias of this version, as {@code DELETE …/aliases/{alias}} does. */
    @POST
    @Path("/{model_type}/versions/{version}/aliases/{alias}/delete")
    public Uni<RestResponse<TemplateInstance>> deleteModelAlias(@PathParam("model_type") String modelType,
            @PathParam("version") int version, @PathParam("alias") String alias, @QueryParam("dataset_id") String datasetId) {
        return act(modelType, version, datasetId, "alias", null, ds -> metadata.deleteModelAlias(modelType, alias, ds),
                "Alias " + alias + " is removed.");
    }

    /** Archives the version, as {@code POST …/archive} does. */
    @POST
    @Path("/{model_type}/versions/{version}/archive")
    public Uni<RestResponse<TemplateInstance>> archiveModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") int version, @QueryParam("dataset_id") String datasetId) {
        return act(modelType, version, datasetId, "archive", null,
                ds -> metadata.archiveModelVersion(modelType, version, ds).replaceWithVoid(), "v" + version + " is archived.");
    }

    /** Unarchives the version, as {@code POST …/unarchive} does. */
    @POST
    @Path("/{model_type}/versions/{version}/unarchive")
    public Uni<RestResponse<TemplateInstance>> unarchiveModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") int version, @QueryParam("dataset_id") String datasetId) {
        return act(modelType, version, datasetId, "archive", null,
                ds -> metadata.unarchiveModelVersion(modelType, version, ds).replaceWithVoid(), "v" + version + " is listed again.");
    }

    /**
     * Changes the description and tags with the JSON merge patch the form amounts to, as
     * {@code PATCH …/versions/{version}} does: the description as typed (empty removes it), each
     * tag whose value was changed, {@code null} for each tag ticked for removal, and the new tag.
     */
    @POST
    @Path("/{model_type}/versions/{version}/metadata")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> updateModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") int version, @QueryParam("dataset_id") String datasetId, MultivaluedMap<String, String> form) {
        return act(modelType, version, datasetId, "metadata", form,
                ds -> metadata.updateModelVersion(modelType, version, ds, Views.json(mergePatch(form))).replaceWithVoid(),
                "Description and tags are saved.");
    }

    /** The merge patch ({@code {"description", "tags"}}) of a submitted metadata form. */
    static Map<String, Object> mergePatch(MultivaluedMap<String, String> form) {
        Map<String, Object> patch = new LinkedHashMap<>();
        if (form.containsKey("description")) {
            String d = form.getFirst("description");
            patch.put("description", d == null || d.isBlank() ? null : d.strip());
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            String value = values.isEmpty() ? "" : values.getFirst();
            if (name.startsWith("tag.")) {
                String key = name.substring(4);
                if (!value.equals(form.getFirst("was." + key)) && !form.containsKey("remove." + key)) {
                    tags.put(key, value);
                }
            } else if (name.startsWith("remove.")) {
                tags.put(name.substring(7), null);
            }
        });
        String newKey = form.getFirst("new_tag_key");
        if (newKey != null && !newKey.isBlank()) {
            String v = form.getFirst("new_tag_value");
            tags.put(newKey.strip(), v == null ? "" : v);
        }
        if (!tags.isEmpty()) {
            patch.put("tags", tags);
        }
        return patch;
    }

    /** A metadata action: its service call on the version's dataset, then the actions re-rendered with the outcome. */
    private Uni<RestResponse<TemplateInstance>> act(String modelType, int version, String datasetId, String formName,
            MultivaluedMap<String, String> form, java.util.function.Function<String, Uni<Void>> action, String done) {
        String ds = Views.blankToNull(datasetId);
        Supplier<Uni<ModelVersionLineageResponse>> reload = () -> registry.getModelVersion(modelType, version, ds);
        return reload.get().flatMap(before -> Uni.createFrom().deferred(() -> action.apply(before.dataset().id()))
                .flatMap(ignored -> reload.get())
                .map(after -> RestResponse.ok(Templates.version$manage(manage(after, null, null, done))))
                .onFailure(e -> ProblemMapper.toResponse(e, null).getStatus() < 500)
                .recoverWithUni(e -> {
                    Problem problem = (Problem) ProblemMapper.toResponse(e, null).getEntity();
                    return reload.get().map(now -> RestResponse.ResponseBuilder.<TemplateInstance>create(problem.status())
                            .entity(Templates.version$manage(manage(now, problem, formName, null).refill(form))).build());
                }));
    }

    /** The actions' view of a version, with the problem of a refused form (or null) and a confirmation (or null). */
    static Manage manage(ModelVersionLineageResponse v, Problem problem, String formName, String message) {
        Views.Problem p = problem == null ? Views.Problem.none() : new Views.Problem(problem.detail(), problem.errors());
        List<TagRow> tags = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Object> t : Views.object(v.tags()).entrySet()) {
            tags.add(new TagRow("tag-" + i++, t.getKey(), String.valueOf(t.getValue()), p.of("tags." + t.getKey())));
        }
        String base = "/console/models/" + v.modelType() + "/versions/" + v.version();
        return new Manage(v.modelType(), v.version(), v.dataset().id(), base, Views.query("dataset_id", v.dataset().id()),
                v.archived(), v.isDeployed(), v.aliases(), v.description() == null ? "" : v.description(), tags, formName,
                problem == null ? 200 : problem.status(), p.detail(), "",
                "alias".equals(formName) ? firstOf(p, "alias", "dataset_id", "version") : null, p.of("description"), "", "", null,
                message, p);
    }

    private static String firstOf(Views.Problem p, String... fields) {
        for (String f : fields) {
            if (p.of(f) != null) {
                return p.of(f);
            }
        }
        return p.detail();
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
                Views.bytes(v.artifact().sizeBytes()), importance(v.featureImportance()));
    }

    /** The stored feature importance (see {@code FeatureImportanceResponse}) as rows and chart points; null when none is stored. */
    @SuppressWarnings("unchecked")
    static Importance importance(String json) {
        Map<String, Object> fi = Views.object(json);
        if (!(fi.get("features") instanceof List<?> features)) {
            return null;
        }
        List<ImportanceRow> rows = new ArrayList<>();
        List<List<Object>> points = new ArrayList<>();
        for (Object o : features) {
            if (!(o instanceof Map<?, ?> f)) {
                continue;
            }
            Map<String, Object> m = (Map<String, Object>) f;
            Object model = m.get("model_importance");
            Object mean = m.get("permutation_importance_mean");
            Object std = m.get("permutation_importance_std");
            rows.add(new ImportanceRow(String.valueOf(m.get("feature")), model == null ? "–" : Views.number(model),
                    mean == null ? "–" : Views.number(mean), std == null ? "–" : Views.number(std)));
            List<Object> point = new ArrayList<>();
            point.add(m.get("feature"));
            point.add(model);
            point.add(mean);
            point.add(std);
            points.add(point);
        }
        Object baseline = fi.get("baseline_score");
        return new Importance(String.valueOf(fi.get("model_method")), String.valueOf(fi.get("scoring")),
                fi.get("n_repeats") instanceof Number n ? n.intValue() : 0, baseline == null ? "–" : Views.number(baseline), rows,
                Views.json(points));
    }
}
