package dev.mlpipeline.common;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.smallrye.mutiny.CompositeException;

/**
 * The one place where failures become HTTP responses: every error leaves the service as
 * {@code application/problem+json}. Domain exceptions take their status from their base class;
 * framework failures (malformed JSON, wrong JSON types, wrong content type, unknown route) are
 * translated into the same shape. A 500 is logged once, with its stack trace, and its body says
 * nothing about the internals. A database outage (see {@link DatabaseOutage}) is no bug: it is answered
 * 503 with {@code Retry-After} and logged as a warning without a trace. Every 503 carries {@code Retry-After}.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response mapDomain(DomainException e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    @ServerExceptionMapper
    public Response mapWebApplication(WebApplicationException e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    @ServerExceptionMapper
    public Response mapJsonProcessing(JsonProcessingException e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    @ServerExceptionMapper
    public Response mapMismatchedInput(MismatchedInputException e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    @ServerExceptionMapper
    public Response mapComposite(CompositeException e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Throwable e, UriInfo uri) {
        return toResponse(e, path(uri));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }

    /** Builds the problem response for any failure; also used by the plain Vert.x fallbacks. */
    public static Response toResponse(Throwable failure, String instance) {
        Throwable t = outageAsUnavailable(unwrap(failure), instance);
        Problem problem = toProblem(t, instance);
        if (problem.status() < 500) {
            // Client mistakes are not the service's failures: at DEBUG, with the reason given to the client.
            LOG.debugf("Request %s answered %d: %s", instance, problem.status(), problem.detail());
        }
        Response.ResponseBuilder response = isInferenceProtocol(instance)
                ? Response.status(problem.status()).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
                        .entity(inferenceError(problem))
                : Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (t instanceof UnavailableException unavailable) {
            response.header("Retry-After", unavailable.retryAfterSeconds());
        }
        return response.build();
    }

    /**
     * Whether a path belongs to the Open Inference Protocol (KServe v2, {@code /v2/...}), whose errors
     * have the protocol's own shape, {@code {"error": "..."}} (KServe {@code required_api.md}, "HTTP/REST":
     * every error response body is an error JSON object), rather than problem+json. The statuses are the same.
     */
    public static boolean isInferenceProtocol(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    /** The protocol's error object for a problem: its detail, followed by the field errors, if any. */
    public static java.util.Map<String, String> inferenceError(Problem problem) {
        String message = problem.detail();
        List<String> more = problem.errors() == null ? List.of()
                : problem.errors().stream().map(e -> e.field() + ": " + e.message()).filter(e -> !problem.detail().contains(e)).toList();
        if (!more.isEmpty()) {
            message += " (" + String.join("; ", more) + ")";
        }
        return java.util.Map.of("error", message);
    }

    /**
     * A failure caused by the database being unreachable becomes an {@link UnavailableException} (503):
     * the request was fine and the same request succeeds once the database is back. A write that failed
     * this way was inside one transaction, which PostgreSQL rolled back.
     */
    private static Throwable outageAsUnavailable(Throwable t, String instance) {
        if (t instanceof DomainException || !DatabaseOutage.isOutage(t)) {
            return t;
        }
        LOG.warnf("Request %s answered 503: the database is unreachable (%s)", instance, DatabaseOutage.describe(t));
        return new UnavailableException("The service cannot reach its database right now; retry in a few seconds.",
                DatabaseOutage.RETRY_AFTER_SECONDS);
    }

    /** The failure inside Mutiny's and the JDK's wrappers (CompositeException, CompletionException, ExecutionException). */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (true) {
            if (t instanceof CompositeException composite && !composite.getCauses().isEmpty()) {
                t = composite.getCauses().getFirst();
            } else if ((t instanceof java.util.concurrent.CompletionException
                    || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            } else {
                return t;
            }
        }
    }

    static Problem toProblem(Throwable t, String instance) {
        if (t instanceof DomainException e) {
            return problem(statusOf(e), e.getMessage(), instance, e.errors());
        }
        if (t instanceof JsonProcessingException e) {
            return jsonProblem(e, instance);
        }
        if (t instanceof WebApplicationException e && e.getCause() instanceof JsonProcessingException json) {
            return jsonProblem(json, instance);
        }
        if (t instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 500) {
                LOG.errorf(e, "Request %s failed", instance);
                return problem(status, "The server could not complete the request.", instance, List.of());
            }
            return problem(status, webDetail(status, e, instance), instance, List.of());
        }
        LOG.errorf(t, "Request %s failed with an unexpected error", instance);
        return problem(500, "The server failed unexpectedly while handling this request; the failure was logged.",
                instance, List.of());
    }

    static int statusOf(DomainException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof ConflictException) {
            return 409;
        }
        if (e instanceof PayloadTooLargeException) {
            return 413;
        }
        if (e instanceof UnavailableException) {
            return 503;
        }
        return 400;
    }

    public static Problem problem(int status, String detail, String instance, List<DomainException.FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return new Problem("/problems/" + slug, title, status, detail, instance, errors, RequestIds.current());
    }

    private static String webDetail(int status, WebApplicationException e, String instance) {
        return switch (status) {
            case 404 -> "No resource matches " + instance + "; see /q/openapi for the API.";
            case 405 -> instance + " does not accept this HTTP method; see /q/openapi for the API.";
            case 406 -> "The service cannot produce the media type asked for in Accept; it answers application/json.";
            case 415 -> "Unsupported Content-Type: send application/json bodies (multipart/form-data for uploads).";
            case 413 -> "The request body is too large.";
            default -> e.getMessage() != null && !e.getMessage().startsWith("HTTP ")
                    ? e.getMessage() : "The request could not be processed (HTTP " + status + ").";
        };
    }

    private static Problem jsonProblem(JsonProcessingException e, String instance) {
        if (e instanceof JsonParseException) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Non-standard token")) {
                // Jackson suggests enabling a parser feature: advice for the server, not for the client.
                message = "NaN and Infinity are not JSON numbers; send null for a missing value";
            }
            return problem(400, "The body is not valid JSON" + where + ": " + message, instance, List.of());
        }
        if (e instanceof JsonText.NulCharacterException nul) {
            String field = fieldPath(nul);
            String message = nul.getOriginalMessage();
            field = field.isEmpty() ? "body" : field;
            return problem(400, field + ": " + message, instance, List.of(new DomainException.FieldError(field, message)));
        }
        if (e instanceof JsonMappingException mapping) {
            String field = fieldPath(mapping);
            String message;
            if (e instanceof UnrecognizedPropertyException unknown) {
                field = field.isEmpty() ? unknown.getPropertyName() : field;
                message = "unknown field; known fields are: " + unknown.getKnownPropertyIds().stream()
                        .map(Object::toString).sorted().collect(Collectors.joining(", "));
            } else if (e instanceof InvalidFormatException invalid) {
                message = "'" + invalid.getValue() + "' is not " + describe(invalid.getTargetType());
            } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
                message = "wrong JSON type: expected " + describe(mismatched.getTargetType());
            } else {
                message = "this value cannot be read: " + e.getOriginalMessage();
            }
            if (field.isEmpty()) {
                return problem(400, "The JSON body has the wrong shape: " + message, instance, List.of());
            }
            return problem(400, field + ": " + message, instance, List.of(new DomainException.FieldError(field, message)));
        }
        return problem(400, "The body is not valid JSON: " + e.getOriginalMessage(), instance, List.of());
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
