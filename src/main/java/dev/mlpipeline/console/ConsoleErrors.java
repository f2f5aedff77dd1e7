package dev.mlpipeline.console;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The console's answer to a failure: the same status, detail and field errors as the REST API's
 * problem+json ({@link ProblemMapper} decides them), rendered as HTML. A request made by htmx gets
 * a fragment for the place its form swaps into; a page load gets a whole page.
 */
final class ConsoleErrors {

    private ConsoleErrors() {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance error(Problem problem);

        static native TemplateInstance error$problem(Problem problem);
    }

    static RestResponse<TemplateInstance> render(Throwable failure, HttpHeaders headers, UriInfo uri) {
        Response mapped = ProblemMapper.toResponse(failure, uri == null ? null : uri.getRequestUri().getRawPath());
        Problem problem = (Problem) mapped.getEntity();
        boolean fragment = headers != null && headers.getHeaderString("HX-Request") != null;
        TemplateInstance body = fragment ? Templates.error$problem(problem) : Templates.error(problem);
        RestResponse.ResponseBuilder<TemplateInstance> response = RestResponse.ResponseBuilder
                .<TemplateInstance>create(problem.status()).entity(body).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        String retry = mapped.getHeaderString("Retry-After");
        if (retry != null) {
            response.header("Retry-After", retry);
        }
        return response.build();
    }
}
