package io.leaseflow.exchange.inputs;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.Executor;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.leaseflow.exchange.trace.GroupTrace;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The agent protocol's read side: the aggregate, long-polled with ETag / If-None-Match. */
@Path("/v1/groups/{id}/inputs")
public class InputsResource {

    private final GroupInputsReader reader;
    private final GroupChangeNotifier notifier;
    private final ExchangeConfig config;

    private final ExchangeMetrics metrics;

    InputsResource(GroupInputsReader reader, GroupChangeNotifier notifier, ExchangeConfig config,
            ExchangeMetrics metrics) {
        this.reader = reader;
        this.notifier = notifier;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Answers at once when the group is closed or the client's ETag is stale. Otherwise parks (no thread held) until
     * {@code wait} elapses or: with {@code If-None-Match}, the group changes (then 200 with the new state, else
     * 304); without it, the group closes — an agent that only wants the aggregate asks once.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> inputs(@PathParam("id") String id, @QueryParam("wait") String wait,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        UUID groupId = GroupLookup.id(id);
        GroupTrace.ids(groupId.toString(), null);
        Duration waitFor = WaitDuration.parse(wait, config.maxWait());
        // Hibernate Reactive sessions are bound to this request's Vert.x context: resume on it after parking.
        Context context = Vertx.currentContext();
        Executor onRequestContext = task -> context.runOnContext(ignored -> task.run());
        boolean untilClosed = ifNoneMatch == null || ifNoneMatch.isBlank();
        GroupChangeNotifier.Waiter waiter = waitFor.isZero() ? notifier.register(groupId, untilClosed)
                : notifier.tryRegister(groupId, untilClosed, config.maxParkedPolls()).orElseThrow(this::tooManyPolls);
        return reader.read(groupId, authorization)
                .chain(snapshot -> {
                    waiter.seen(snapshot.revision());
                    boolean park = snapshot.inputs().status().isOpen() && !waitFor.isZero()
                            && (untilClosed || matches(ifNoneMatch, snapshot.etag()));
                    if (!park) {
                        return Uni.createFrom().item(snapshot);
                    }
                    return Uni.createFrom().completionStage(waiter.change())
                            .replaceWith(Boolean.TRUE)
                            .ifNoItem().after(waitFor).recoverWithItem(Boolean.FALSE)
                            .emitOn(onRequestContext)
                            .chain(changed -> reader.read(groupId, authorization));
                })
                .onTermination().invoke(() -> notifier.release(groupId, waiter))
                .map(snapshot -> respond(snapshot, ifNoneMatch));
    }

    private ProblemException tooManyPolls() {
        metrics.pollRefused();
        long retryAfter = Math.max(1, config.pollRetryAfter().toSeconds());
        return new ProblemException(ProblemType.TOO_MANY_POLLS, "This replica has "
                + config.maxParkedPolls() + " long-polls parked; retry after " + retryAfter + " s.", List.of(),
                Map.of(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)));
    }

    /** One output's values: {@code format=etc-hosts} joins them one member per line, sorted by key. */
    @GET
    @Path("/{output}")
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN })
    public Uni<Response> output(@PathParam("id") String id, @PathParam("output") String output,
            @QueryParam("format") @DefaultValue("json") String format,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        UUID groupId = GroupLookup.id(id);
        if (!format.equals("json") && !format.equals("etc-hosts")) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "format: 'json' or 'etc-hosts'; got '"
                    + format + "'.");
        }
        return reader.read(groupId, authorization).map(snapshot -> {
            SortedMap<String, String> values = snapshot.inputs().inputs().get(output);
            if (values == null) {
                throw new ProblemException(ProblemType.OUTPUT_NOT_FOUND, "The group declares outputs "
                        + snapshot.inputs().inputs().keySet() + ".");
            }
            var response = format.equals("etc-hosts")
                    ? Response.ok(etcHosts(values), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                    : Response.ok(values, MediaType.APPLICATION_JSON_TYPE);
            return response.header("X-Group-Status", snapshot.inputs().status().name())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        });
    }

    static String etcHosts(Map<String, String> values) {
        var text = new StringBuilder();
        values.values().forEach(value -> {
            String line = value.strip();
            if (!line.isEmpty()) {
                text.append(line).append('\n');
            }
        });
        return text.toString();
    }

    private static Response respond(GroupInputsReader.Snapshot snapshot, String ifNoneMatch) {
        var builder = matches(ifNoneMatch, snapshot.etag())
                ? Response.notModified()
                : Response.ok(snapshot.body(), MediaType.APPLICATION_JSON_TYPE);
        return builder.header(HttpHeaders.ETAG, snapshot.etag()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }
}
