package io.leaseflow.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The operator API over the service's dead letters: list (filtered, newest first, {@code limit}/{@code marker}
 * paging as in OpenStack APIs), show, replay (optionally with a corrected payload as the body) and discard.
 */
@Path("/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private final OperatorAuthenticator auth;
    private final DeadLetterStore store;
    private final DeadLetterReplays replays;

    public DeadLetterResource(OperatorAuthenticator auth, DeadLetterStore store, DeadLetterReplays replays) {
        this.auth = auth;
        this.store = store;
        this.replays = replays;
    }

    @GET
    public Uni<DeadLetterPage> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String token, @QueryParam("topic") String topic,
            @QueryParam("reason") String reason, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("status") String status, @QueryParam("limit") Integer limit,
            @QueryParam("marker") Long marker) {
        return auth.authenticate(authorization, token).flatMap(operator -> {
            int size = limit == null ? DEFAULT_LIMIT : limit;
            if (size < 1 || size > MAX_LIMIT) {
                throw badRequest("limit must be between 1 and " + MAX_LIMIT);
            }
            DeadLetterQuery query = new DeadLetterQuery(blankToNull(topic), blankToNull(reason), instant("since", since),
                    instant("until", until), status(status), marker, size + 1);
            return store.page(query).map(rows -> {
                List<DeadLetter> page = rows.size() > size ? rows.subList(0, size) : rows;
                Long next = rows.size() > size ? page.get(page.size() - 1).id : null;
                return new DeadLetterPage(page.stream()
                        .map(d -> DeadLetterView.of(d, replays.headers(d), null)).toList(), next);
            });
        });
    }

    @GET
    @Path("{id}")
    public Uni<DeadLetterView> show(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String token, @PathParam("id") long id) {
        return auth.authenticate(authorization, token).flatMap(operator -> replays.existing(id))
                .flatMap(d -> store.audit(id).map(audit -> DeadLetterView.of(d, replays.headers(d), audit)));
    }

    /** 200 with the letter once replayed (also when it was replayed before: nothing happens again). */
    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.WILDCARD)
    public Uni<DeadLetterView> replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String token, @PathParam("id") long id, byte[] correctedPayload) {
        byte[] corrected = correctedPayload == null || correctedPayload.length == 0 ? null : correctedPayload;
        return auth.authenticate(authorization, token)
                .flatMap(operator -> replays.replay(id, corrected, operator))
                .flatMap(d -> store.audit(id).map(audit -> DeadLetterView.of(d, replays.headers(d), audit)));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> discard(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("X-Auth-Token") String token, @PathParam("id") long id) {
        return auth.authenticate(authorization, token).flatMap(operator -> replays.discard(id, operator))
                .replaceWith(() -> Response.noContent().build());
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw badRequest(name + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    private static DeadLetterStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DeadLetterStatus.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw badRequest("status must be one of ACTIVE, REPLAYED, DISCARDED");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static DeadLetterProblem badRequest(String detail) {
        return DeadLetterProblem.of(400, "invalid-query", "Invalid query", detail);
    }
}
