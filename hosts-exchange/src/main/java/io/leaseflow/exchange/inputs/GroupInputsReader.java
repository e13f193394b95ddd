package io.leaseflow.exchange.inputs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.group.GroupLookup;
import io.leaseflow.exchange.group.GroupStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a group's aggregate. A read of an open group checks the group row (status, revision, join token); a closed
 * group's row is final and kept (until a deletion event), and the aggregate itself is built once per revision and
 * shared, so the N polls a completion wakes cost one aggregate and no further reads, not N aggregates of N members.
 */
@ApplicationScoped
public class GroupInputsReader {

    private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() {
    };
    private static final int CACHED_GROUPS = 64;

    private final ObjectMapper json;
    private final Pool pool;
    private final Map<UUID, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
            return size() > CACHED_GROUPS;
        }
    };

    private final Map<UUID, Header> closed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Header> eldest) {
            return size() > CACHED_GROUPS;
        }
    };

    /** The group was deleted: its reads must find that out from the database again. */
    public void forget(UUID groupId) {
        synchronized (closed) {
            closed.remove(groupId);
        }
        synchronized (cache) {
            cache.remove(groupId);
        }
    }

    GroupInputsReader(ObjectMapper json, Pool pool) {
        this.json = json;
        this.pool = pool;
    }

    /** The aggregate with its serialised body and ETag; the join token must match. */
    public record Snapshot(GroupInputs inputs, String body, String etag, long revision) {
    }

    private record Header(GroupStatus status, int size, int reported, int failed, long revision,
            List<String> outputs, byte[] joinTokenHash) {
    }

    private record Cached(long revision, CompletableFuture<Snapshot> snapshot) {
    }

    public Uni<Snapshot> read(UUID groupId, String authorization) {
        Header known;
        synchronized (closed) {
            known = closed.get(groupId);
        }
        if (known != null) {
            // A closed group never changes again: the polls its completion wakes need no database read.
            return Uni.createFrom().deferred(() -> {
                JoinTokenCheck.require(authorization, known.joinTokenHash());
                return Uni.createFrom().completionStage(snapshot(groupId, known));
            });
        }
        Context context = Vertx.currentContext();
        Executor back = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return pool.preparedQuery("SELECT status, size, reported, failed, revision, output_names, join_token_hash"
                + " FROM exchange_group WHERE id = $1")
                .execute(Tuple.of(groupId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw GroupLookup.notFound(groupId);
                    }
                    Row row = rows.iterator().next();
                    byte[] tokenHash = row.getBuffer("join_token_hash").getBytes();
                    JoinTokenCheck.require(authorization, tokenHash);
                    var header = new Header(GroupStatus.valueOf(row.getString("status")), row.getInteger("size"),
                            row.getInteger("reported"), row.getInteger("failed"), row.getLong("revision"),
                            List.of(row.getString("output_names").split(",")), tokenHash);
                    if (!header.status().isOpen()) {
                        synchronized (closed) {
                            closed.put(groupId, header);
                        }
                    }
                    return Uni.createFrom().completionStage(snapshot(groupId, header));
                })
                .emitOn(back);
    }

    private CompletableFuture<Snapshot> snapshot(UUID groupId, Header header) {
        var mine = new CompletableFuture<Snapshot>();
        Cached current;
        synchronized (cache) {
            current = cache.get(groupId);
            if (current == null || current.revision() < header.revision()) {
                current = new Cached(header.revision(), mine);
                cache.put(groupId, current);
            }
        }
        if (current.snapshot() == mine) {
            pool.preparedQuery("SELECT member_key, outputs_json FROM exchange_member"
                    + " WHERE group_id = $1 AND status_code = 0")
                    .execute(Tuple.of(groupId))
                    .map(rows -> {
                        SortedMap<String, SortedMap<String, String>> byOutput = new TreeMap<>();
                        header.outputs().forEach(output -> byOutput.put(output, new TreeMap<>()));
                        for (Row row : rows) {
                            parse(row.getString("outputs_json")).forEach((output, value) -> {
                                var values = byOutput.get(output);
                                if (values != null) {
                                    values.put(row.getString("member_key"), value);
                                }
                            });
                        }
                        return build(new GroupInputs(header.status(), header.size(), header.reported(),
                                header.failed(), byOutput), header.revision());
                    })
                    .subscribe().with(mine::complete, failure -> {
                        synchronized (cache) {
                            cache.remove(groupId, new Cached(header.revision(), mine));
                        }
                        mine.completeExceptionally(failure);
                    });
        }
        return current.snapshot();
    }

    private Map<String, String> parse(String outputsJson) {
        try {
            return json.readValue(outputsJson, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outputs are written by this service as JSON", e);
        }
    }

    private Snapshot build(GroupInputs inputs, long revision) {
        try {
            String body = json.writeValueAsString(inputs);
            return new Snapshot(inputs, body, etag(body), revision);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the aggregate is plain strings and always serialises", e);
        }
    }

    /** Strong ETag over the whole body, which includes the status and every value. */
    static String etag(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
