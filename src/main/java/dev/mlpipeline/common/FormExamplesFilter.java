package dev.mlpipeline.common;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Turns the {@code @ExampleObject} values of {@code multipart/form-data} request bodies into objects
 * (one property per part). SmallRye parses example values as JSON for JSON media types only, and a
 * multipart example left as a string does not match its object schema.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class FormExamplesFilter implements OASFilter {

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
                    .forEach(FormExamplesFilter::parseExamples);
        }
    }

    private static void parseExamples(MediaType media) {
        for (Example example : media.getExamples().values()) {
            if (example.getValue() instanceof String text && text.strip().startsWith("{")) {
                try {
                    example.setValue(JSON.readValue(text, java.util.Map.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("The multipart example is not a JSON object: " + text, e);
                }
            }
        }
    }
}
