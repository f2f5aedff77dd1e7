package dev.mlpipeline.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks what the HTTP layer would otherwise refuse or pass on unchecked, before any other route
 * (the body is not read yet), and answers problem+json:
 *
 * <ul>
 *   <li>a request URI longer than {@value #MAX_URI_CHARS} characters: 414;
 *   <li>headers larger than {@value #MAX_HEADER_BYTES} bytes in all: 431;
 *   <li>a malformed percent-encoding ({@code %zz}, a lone {@code %}) or percent-encoded bytes that are
 *       not UTF-8, in the path or the query string: 400 naming the path or the parameter;
 *   <li>a NUL character ({@code %00}) in the decoded path or a query parameter: 400 naming it, since
 *       no id, name or value may hold one (PostgreSQL refuses the byte).
 * </ul>
 *
 * <p>The transport limits ({@code quarkus.http.limits.max-initial-line-length}, {@code
 * quarkus.http.limits.max-header-size}) are set well above these, so that such requests reach this
 * route: Vert.x answers a request beyond its own limits with a bare status line before any route
 * runs, and Quarkus offers no hook to change that response.
 */
@Singleton
public class RequestGuard {

    /** The longest request URI (path and query) accepted, in characters. */
    public static final int MAX_URI_CHARS = 4096;

    /** The most header bytes (names and values) accepted. */
    public static final int MAX_HEADER_BYTES = 20 * 1024;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        // The router fails a request before any route runs when it cannot even normalize the path (a
        // malformed percent-encoding): its error handlers are the only place to answer those.
        for (int status : new int[]{ 400, 404, 405, 413, 414, 431, 500 }) {
            router.errorHandler(status, ctx -> unrouted(ctx, status));
        }
    }

    private void unrouted(RoutingContext ctx, int status) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        String uri = ctx.request().uri();
        int q = uri.indexOf('?');
        String pathProblem = problem(q < 0 ? uri : uri.substring(0, q), false);
        if (status == 400 && pathProblem != null) {
            reject(ctx, "path", "The request path " + pathProblem);
        } else if (status >= 500) {
            var response = ProblemMapper.toResponse(ctx.failure() != null ? ctx.failure()
                    : new IllegalStateException("the router failed with status " + status), ctx.request().path());
            FallbackRoutes.write(ctx, response.getStatus(), ((Problem) response.getEntity()).detail(), List.of());
        } else {
            FallbackRoutes.write(ctx, status, "The request could not be processed (HTTP " + status + ")"
                    + (ctx.failure() != null && ctx.failure().getMessage() != null ? ": " + ctx.failure().getMessage() : "")
                    + "; see /q/openapi for the API.", List.of());
        }
    }

    private void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri.length() > MAX_URI_CHARS) {
            FallbackRoutes.write(ctx, 414, "The request URI is " + uri.length() + " characters long; this service"
                    + " accepts at most " + MAX_URI_CHARS + ". Send long inputs in a request body.", List.of());
            return;
        }
        long headerBytes = 0;
        for (var header : ctx.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADER_BYTES) {
            FallbackRoutes.write(ctx, 431, "The request headers take " + headerBytes + " bytes; this service accepts"
                    + " at most " + MAX_HEADER_BYTES + ".", List.of());
            return;
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String problem = problem(path, false);
        if (problem != null) {
            reject(ctx, "path", "The request path " + problem);
            return;
        }
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String rawName = eq < 0 ? pair : pair.substring(0, eq);
                String nameProblem = problem(rawName, true);
                if (nameProblem != null) {
                    reject(ctx, "query", "A query parameter name " + nameProblem);
                    return;
                }
                String name = decode(rawName, true);
                String valueProblem = eq < 0 ? null : problem(pair.substring(eq + 1), true);
                if (valueProblem != null) {
                    reject(ctx, name, "The query parameter '" + name + "' " + valueProblem);
                    return;
                }
            }
        }
        ctx.next();
    }

    private static void reject(RoutingContext ctx, String field, String detail) {
        FallbackRoutes.write(ctx, 400, detail, List.of(new DomainException.FieldError(field, detail)));
    }

    /** What is wrong with one percent-encoded component, as the end of a sentence, or null if nothing. */
    static String problem(String raw, boolean query) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '%' && (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0)) {
                String escape = raw.substring(i, Math.min(raw.length(), i + 3));
                return "has a malformed percent-encoding '" + escape + "' at character " + (i + 1)
                        + ": '%' must be followed by two hex digits (write a literal '%' as %25)";
            }
        }
        String decoded = decode(raw, query);
        if (decoded == null) {
            return "holds percent-encoded bytes that are not UTF-8 text";
        }
        if (decoded.indexOf('\0') >= 0) {
            return "holds a NUL character (%00); ids, names and values never contain one";
        }
        return null;
    }

    /** Strict percent-decoding into UTF-8; null when the bytes are not UTF-8. Expects well-formed escapes. */
    static String decode(String raw, boolean query) {
        if (raw.indexOf('%') < 0 && !(query && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.put((byte) (hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2))));
                i += 2;
            } else if (c == '+' && query) {
                bytes.put((byte) ' ');
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
