package dev.mlpipeline.common;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Document-wide statements the annotations cannot make:
 * <ul>
 * <li>(The bearer security scheme and each operation's role: {@code security/SecurityOpenApiFilter}.)</li>
 * <li>The {@code @ExampleObject} values of {@code multipart/form-data} request bodies become objects
 * (one property per part). SmallRye parses example values as JSON for JSON media types only, and a
 * multipart example left as a string does not match its object schema.</li>
 * <li>A nullable property that refers to an object schema ({@code @Schema(nullable = true)} on a
 * record-typed component) allows null in its {@code type} too: SmallRye writes
 * {@code anyOf: [$ref, null]} beside a {@code type: object} that would reject the null.</li>
 * </ul>
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiDocumentFilter implements OASFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            item.getOperations().values().stream()
                    .filter(op -> op.getRequestBody() != null && op.getRequestBody().getContent() != null
                            && op.getRequestBody().getContent().getMediaTypes() != null)
                    .map(op -> op.getRequestBody().getContent().getMediaType(jakarta.ws.rs.core.MediaType.MULTIPART_FORM_DATA))
                    .filter(media -> media != null && media.getExamples() != null)
                    .forEach(OpenApiDocumentFilter::parseExamples);
        }
    }

    @Override
    public Schema filterSchema(Schema schema) {
        List<SchemaType> type = schema.getType();
        if (type != null && type.equals(List.of(SchemaType.OBJECT)) && schema.getAnyOf() != null
                && schema.getAnyOf().stream().anyMatch(s -> List.of(SchemaType.NULL).equals(s.getType()))) {
            schema.setType(List.of(SchemaType.OBJECT, SchemaType.NULL));
        }
        return schema;
    }

    private static void parseExamples(MediaType media) {
        for (Example example : media.getExamples().values()) {
            if (example.getValue() instanceof String text && text.strip().startsWith("{")) {
                try {
                    example.setValue(JSON.readValue(text, Map.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("A multipart example is not a JSON object: " + text, e);
                }
            }
        }
    }
}
