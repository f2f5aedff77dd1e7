package dev.mlpipeline.security;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.security.dto.AuditEventResponse;
import dev.mlpipeline.security.dto.PurgeResponse;
import io.smallrye.mutiny.Uni;

@Path("/api/audit")
@Tag(name = "Security")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    AuditRepository audit;

    @GET
    @Operation(operationId = "listAuditEvents", summary = "The audit trail, newest first, one page at a time (admin)",
            description = "Every mutating request, allowed or refused. Events are written a moment (mlpipeline.security.audit-flush-interval) "
                    + "after their request. When more follow, the `X-Next-Cursor` header (and `Link rel=\"next\"`) gives the next page.")
    @APIResponse(responseCode = "200", description = "A page of events",
            headers = { @Header(name = "X-Next-Cursor", description = "Cursor of the next page, while more events follow",
                    schema = @Schema(type = SchemaType.STRING)), @Header(name = "Link", description = "<…?cursor=…>; rel=\"next\" while more events follow",
                            schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "A bad limit, cursor, since or until")
    public Uni<RestResponse<List<AuditEventResponse>>> listAuditEvents(
            @QueryParam("actor") @Parameter(description = "A token name or id, or an OIDC name or subject") String actor,
            @QueryParam("operation") @Parameter(description = "An operationId, e.g. deployModel") String operation,
            @QueryParam("since") @Parameter(description = "Events at or after this instant (ISO-8601, e.g. 2026-11-30T12:00:00Z)",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) String since,
            @QueryParam("until") @Parameter(description = "Events before this instant (ISO-8601)",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time")) String until,
            @QueryParam("limit") @Parameter(description = "Events per page, 1..1000",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) String limit,
            @QueryParam("cursor") @Parameter(description = "The X-Next-Cursor of the previous page") String cursor) {
        int size = Params.intParam("limit", limit, 100, 1, 1000);
        AuditCursor after = AuditCursor.decode(cursor);
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        return audit.page(blankToNull(actor), blankToNull(operation), from, to, after, size + 1).map(events -> {
            boolean more = events.size() > size;
            List<AuditEvent> page = more ? events.subList(0, size) : events;
            RestResponse.ResponseBuilder<List<AuditEventResponse>> response = RestResponse.ResponseBuilder
                    .ok(page.stream().map(AuditEventResponse::of).toList());
            if (more) {
                AuditEvent last = page.getLast();
                String next = new AuditCursor(last.at(), last.id()).encode();
                response.header("X-Next-Cursor", next).header("Link", "<" + nextLink(actor, operation, since, until, size, next) + ">; rel=\"next\"");
            }
            return response.build();
        });
    }

    @DELETE
    @Operation(operationId = "purgeAuditEvents", summary = "Delete the audit events before an instant (admin)",
            description = "The only way rows leave the audit trail (the table refuses UPDATE, DELETE and TRUNCATE otherwise); the purge itself is audited.")
    @APIResponse(responseCode = "200", description = "How many events were deleted")
    @APIResponse(responseCode = "400", description = "before missing or not an ISO-8601 instant")
    public Uni<PurgeResponse> purgeAuditEvents(@QueryParam("before") @Parameter(required = true,
            description = "Delete events before this instant (ISO-8601)", schema = @Schema(type = SchemaType.STRING, format = "date-time")) String before) {
        Instant at = instant("before", before);
        if (at == null) {
            throw InvalidInputException.forField("before", "is required: an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
        return audit.purge(at).map(PurgeResponse::new);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw InvalidInputException.forField(name, "'" + value + "' is not an ISO-8601 instant such as 2026-11-30T12:00:00Z");
        }
    }

    private static String nextLink(String actor, String operation, String since, String until, int limit, String cursor) {
        StringBuilder url = new StringBuilder("/api/audit?limit=").append(limit).append("&cursor=").append(cursor);
        appendParam(url, "actor", actor);
        appendParam(url, "operation", operation);
        appendParam(url, "since", since);
        appendParam(url, "until", until);
        return url.toString();
    }

    private static void appendParam(StringBuilder url, String name, String value) {
        if (value != null && !value.isBlank()) {
            url.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value.strip(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
