package dev.mlpipeline.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.common.DomainException;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.dataset.DatasetService;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.registry.ModelFilter;
import dev.mlpipeline.registry.ModelRegistryService;
import dev.mlpipeline.registry.PageRequest;
import dev.mlpipeline.registry.RegistryCursor;
import dev.mlpipeline.registry.RegistryResource;
import dev.mlpipeline.registry.dto.ModelEntryResponse;
import dev.mlpipeline.registry.dto.ModelVersionResponse;
import dev.mlpipeline.tuning.TuningJobService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The registry as a tree (the console's home page, {@code /}) and the page of one version. Reads go
 * through {@link ModelRegistryService}, as {@code GET /api/registry/models} and
 * {@code GET /api/registry/models/{model_type}/versions/{version}} do.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class RegistryPage {

    /** Entries (dataset, model type) per page. */
    static final int ENTRIES_PER_PAGE = 10;
    /** Newest versions listed (and charted) per entry; the version page and the API give the rest. */
    static final int VERSIONS_PER_ENTRY = 25;

    @Inject
    ModelRegistryService registry;

    @Inject
    DatasetService datasets;

    @Inject
    TuningJobService tuning;

    @TemplateData
    public record Option(String value, String label, boolean selected) {
    }

    @TemplateData
    public record Filters(List<Option> datasets, List<Option> modelTypes, List<Option> sources, String tag, boolean includeArchived) {
    }

    @TemplateData
    public record VersionRow(int version, String jobId, String source, boolean deployed, String metric, String created,
            String href, List<String> aliases, List<Views.Pair> tags, boolean archived) {
    }

    @TemplateData
    public record Entry(String id, String datasetId, String datasetName, String modelType, Integer deployedVersion,
            int latestVersion, String metricName, List<VersionRow> versions, String chart) {
    }

    @TemplateData
    public record Page(List<Entry> entries, String nextHref, String error) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance registry(Filters filters, Page page);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    @GET
    public Uni<TemplateInstance> listModels(@QueryParam("dataset_id") String datasetId, @QueryParam("model_type") String modelType,
            @QueryParam("source") String source, @QueryParam("tag") String tag, @QueryParam("include_archived") String includeArchived,
            @QueryParam("cursor") String cursor) {
        String ds = Views.blankToNull(datasetId);
        String type = Views.blankToNull(modelType);
        String src = Views.blankToNull(source);
        String tagFilter = Views.blankToNull(tag);
        boolean archived = "true".equals(includeArchived) || "on".equals(includeArchived);
        Uni<Page> page;
        try {
            if (src != null && !src.equals("training") && !src.equals("tuning")) {
                throw InvalidInputException.forField("source", "must be 'training' or 'tuning'");
            }
            RegistryCursor after = RegistryCursor.decode(Views.blankToNull(cursor));
            // one condition (key:value or key), read as GET /api/registry/models?tag= reads it
            ModelFilter filter = new ModelFilter(ds, type, src, VERSIONS_PER_ENTRY,
                    RegistryResource.tagFilters(tagFilter == null ? List.of() : List.of(tagFilter)), archived);
            page = registry.listModels(filter, new PageRequest(after, ENTRIES_PER_PAGE))
                    .map(p -> new Page(p.entries().stream().map(RegistryPage::entry).toList(),
                            p.nextCursor() == null ? null
                                    : "/" + Views.query("dataset_id", ds, "model_type", type, "source", src, "tag", tagFilter,
                                            "include_archived", archived ? "true" : null, "cursor", p.nextCursor()),
                            null));
        } catch (DomainException e) {
            page = Uni.createFrom().item(new Page(List.of(), null, e.getMessage()));
        }
        return page.onFailure(DomainException.class).recoverWithItem(e -> new Page(List.of(), null, e.getMessage()))
                .flatMap(p -> datasets.listDatasets().map(list -> {
                    List<Option> dsOptions = new ArrayList<>();
                    dsOptions.add(new Option("", "All datasets", ds == null));
                    list.forEach(d -> dsOptions.add(new Option(d.id, d.name + " (" + d.id + ")", d.id.equals(ds))));
                    List<Option> types = new ArrayList<>();
                    types.add(new Option("", "All model types", type == null));
                    for (ModelType t : ModelCatalog.all()) {
                        types.add(new Option(t.name(), t.name(), t.name().equals(type)));
                    }
                    List<Option> sources = List.of(new Option("", "Training and tuning", src == null),
                            new Option("training", "Training", "training".equals(src)),
                            new Option("tuning", "Tuning", "tuning".equals(src)));
                    return Templates.registry(new Filters(dsOptions, types, sources, tagFilter == null ? "" : tagFilter, archived), p);
                }));
    }

    static Entry entry(ModelEntryResponse e) {
        String task = e.versions().isEmpty() ? null : e.versions().getFirst().task();
        String metricName = Views.mainMetric(task);
        List<VersionRow> rows = new ArrayList<>(e.versions().size());
        StringBuilder chart = new StringBuilder("[");
        List<ModelVersionResponse> ascending = new ArrayList<>(e.versions());
        ascending.sort(Comparator.comparingInt(ModelVersionResponse::version));
        for (ModelVersionResponse v : ascending) {
            Double m = Views.metric(v.metrics(), metricName);
            if (m != null) {
                chart.append(chart.length() > 1 ? "," : "").append("[").append(v.version()).append(",").append(m).append("]");
            }
        }
        chart.append("]");
        for (ModelVersionResponse v : e.versions()) {
            Double m = Views.metric(v.metrics(), metricName);
            rows.add(new VersionRow(v.version(), v.jobId(), v.source(), v.isDeployed(), m == null ? "–" : Views.formatDouble(m),
                    Views.time(v.createdAt()), versionHref(v.modelType(), v.version(), v.datasetId()),
                    v.aliases() == null ? List.of() : v.aliases(), Views.pairs(Views.object(v.tags())), v.archived()));
        }
        return new Entry(e.datasetId() + "-" + e.modelType(), e.datasetId(), e.datasetName(), e.modelType(),
                e.deployedVersion(), e.latestVersion(), metricName, rows, chart.toString());
    }

    static String versionHref(String modelType, int version, String datasetId) {
        return "/console/models/" + modelType + "/versions/" + version + Views.query("dataset_id", datasetId);
    }
}
