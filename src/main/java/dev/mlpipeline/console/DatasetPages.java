package dev.mlpipeline.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.dataset.DatasetColumn;
import dev.mlpipeline.dataset.DatasetResource;
import dev.mlpipeline.dataset.DatasetService;
import dev.mlpipeline.dataset.dto.DatasetPreviewResponse;
import dev.mlpipeline.dataset.dto.DatasetResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Datasets: the list, an upload form (the browser shows the upload's progress), one dataset's
 * inferred schema, warnings and first rows, and deletion after a confirmation. Uploads go through
 * {@link DatasetResource#uploadDataset} itself, so that they are read and checked exactly as
 * {@code POST /api/datasets} reads them.
 */
@Path("/console/datasets")
@Produces(MediaType.TEXT_HTML)
public class DatasetPages {

    static final int PREVIEW_ROWS = 20;

    @Inject
    DatasetService service;

    @Inject
    DatasetResource api;

    @TemplateData
    public record Row(String id, String name, String filename, long rows, int columns, String size, String created) {
    }

    @TemplateData
    public record Column(String name, String type, long missing, String distinct, String markers, boolean identifier) {
    }

    @TemplateData
    public record Detail(DatasetResponse d, String size, String created, List<Column> columns, List<String> previewColumns,
            List<List<String>> previewRows) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance datasets(List<Row> datasets);

        static native TemplateInstance dataset(Detail detail, boolean confirmDelete);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    @GET
    public Uni<TemplateInstance> listDatasets() {
        return service.listDatasets().map(list -> Templates.datasets(list.stream()
                .map(d -> new Row(d.id, d.name, d.filename, d.rowCount, d.columnCount, Views.bytes(d.sizeBytes),
                        Views.time(d.createdAt)))
                .toList()));
    }

    /** Stores the upload as {@code POST /api/datasets} does, then sends the browser to the new dataset's page. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<RestResponse<Object>> uploadDataset(@RestForm("file") FileUpload file, @RestForm("name") String name,
            @RestForm("delimiter") String delimiter, @RestForm("na_values") String naValues) {
        return Uni.createFrom().deferred(() -> api.uploadDataset(file, name, Views.blankToNull(delimiter),
                Views.blankToNull(naValues), null))
                .map(created -> RestResponse.ResponseBuilder.ok()
                        .header("HX-Redirect", "/console/datasets/" + created.getEntity().id()).build());
    }

    /** One dataset; with {@code delete=confirm}, the question whether to delete it first. */
    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> getDataset(@PathParam("id") String id, @QueryParam("delete") String delete) {
        return service.getDataset(id).map(DatasetResponse::of)
                .flatMap(d -> service.previewDataset(id, PREVIEW_ROWS)
                        .map(p -> Templates.dataset(detail(d, p), "confirm".equals(delete))));
    }

    static Detail detail(DatasetResponse d, DatasetPreviewResponse p) {
        List<Column> columns = new ArrayList<>();
        for (DatasetColumn c : d.columns()) {
            columns.add(new Column(c.name(), c.type(), c.missing(), (c.distinctExact() ? "" : "≈") + c.distinct(),
                    String.join(", ", c.missingMarkers()), c.likelyIdentifier()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> r : p.rows()) {
            List<String> cells = new ArrayList<>(p.columns().size());
            for (String c : p.columns()) {
                Object v = r.get(c);
                cells.add(v == null ? "" : v instanceof Number ? Views.number(v) : String.valueOf(v));
            }
            rows.add(cells);
        }
        return new Detail(d, Views.bytes(d.sizeBytes()), Views.time(d.createdAt()), columns, p.columns(), rows);
    }

    /** Deletes as {@code DELETE /api/datasets/{id}} does (409 while a job or deployment uses it). */
    @POST
    @Path("/{id}/delete")
    public Uni<RestResponse<Object>> deleteDataset(@PathParam("id") String id) {
        return service.deleteDataset(id)
                .map(ignored -> RestResponse.ResponseBuilder.ok().header("HX-Redirect", "/console/datasets").build());
    }
}
