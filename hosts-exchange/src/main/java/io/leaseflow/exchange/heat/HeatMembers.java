package io.leaseflow.exchange.heat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leaseflow.exchange.group.GroupStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Capability URLs of Heat-agent members: issued, revoked, resolved (by token hash) and their populate signals. */
@ApplicationScoped
public class HeatMembers {

    private static final TypeReference<Map<String, String>> OUTPUTS = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper json;

    HeatMembers(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** What a capability token resolves to: the member, its group, and the group's Heat phases. */
    public record Capability(UUID groupId, String key, byte[] tokenHash, String groupName, GroupStatus status,
            List<String> outputs, Instant createdAt, Instant closedAt, long revision, String exportGroup,
            String exportConfig, String populateGroup, String populateConfig) {
    }

    /** Issues (or rotates) the capability of a key: the old URL stops working at once. */
    public Uni<Void> issue(UUID groupId, String key, byte[] tokenHash) {
        return pool.preparedQuery("""
                INSERT INTO exchange_heat_member (group_id, member_key, token_hash, created_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (group_id, member_key) DO UPDATE SET token_hash = EXCLUDED.token_hash,
                    created_at = EXCLUDED.created_at""")
                .execute(Tuple.of(groupId, key, Buffer.buffer(tokenHash), OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    public Uni<Boolean> revoke(UUID groupId, String key) {
        return pool.preparedQuery("DELETE FROM exchange_heat_member WHERE group_id = $1 AND member_key = $2")
                .execute(Tuple.of(groupId, key)).map(rows -> rows.rowCount() > 0);
    }

    /** The secret hash a key was claimed with, or null when nobody reported under it yet. */
    public Uni<byte[]> claimedSecretHash(UUID groupId, String key) {
        return pool.preparedQuery("SELECT secret_hash FROM exchange_member WHERE group_id = $1 AND member_key = $2")
                .execute(Tuple.of(groupId, key))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("secret_hash").getBytes());
    }

    public Uni<Capability> resolve(byte[] tokenHash) {
        return pool.preparedQuery("""
                SELECT h.group_id, h.member_key, g.name, g.status, g.output_names, g.created_at, g.closed_at,
                       g.revision, g.heat_export_group, g.heat_export_config, g.heat_populate_group,
                       g.heat_populate_config
                FROM exchange_heat_member h JOIN exchange_group g ON g.id = h.group_id
                WHERE h.token_hash = $1""")
                .execute(Tuple.of(Buffer.buffer(tokenHash)))
                .map(rows -> rows.size() == 0 ? null : capability(rows.iterator().next(), tokenHash));
    }

    private static Capability capability(Row row, byte[] tokenHash) {
        OffsetDateTime closed = row.getOffsetDateTime("closed_at");
        return new Capability(row.getUUID("group_id"), row.getString("member_key"), tokenHash, row.getString("name"),
                GroupStatus.valueOf(row.getString("status")), List.of(row.getString("output_names").split(",")),
                row.getOffsetDateTime("created_at").toInstant(), closed == null ? null : closed.toInstant(),
                row.getLong("revision"), row.getString("heat_export_group"), row.getString("heat_export_config"),
                row.getString("heat_populate_group"), row.getString("heat_populate_config"));
    }

    /** Per output, the values of the members that succeeded, by key. */
    public Uni<Map<String, Map<String, String>>> aggregate(UUID groupId, List<String> outputs) {
        return pool.preparedQuery("SELECT member_key, outputs_json FROM exchange_member"
                + " WHERE group_id = $1 AND status_code = 0")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    Map<String, Map<String, String>> byOutput = new TreeMap<>();
                    outputs.forEach(o -> byOutput.put(o, new TreeMap<>()));
                    for (Row row : rows) {
                        parse(row.getString("outputs_json")).forEach((output, value) -> {
                            var values = byOutput.get(output);
                            if (values != null) {
                                values.put(row.getString("member_key"), value);
                            }
                        });
                    }
                    return byOutput;
                });
    }

    /** Idempotent: a retried populate signal overwrites the same status. */
    public Uni<Void> populateSignalled(byte[] tokenHash, int statusCode) {
        return pool.preparedQuery("""
                UPDATE exchange_heat_member SET populate_status_code = $2,
                    populate_signalled_at = coalesce(populate_signalled_at, $3) WHERE token_hash = $1""")
                .execute(Tuple.of(Buffer.buffer(tokenHash), statusCode, OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private Map<String, String> parse(String outputsJson) {
        try {
            return json.readValue(outputsJson, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outputs are written by this service as JSON", e);
        }
    }
}
