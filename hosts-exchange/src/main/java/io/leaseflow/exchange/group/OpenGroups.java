package io.leaseflow.exchange.group;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a write needs to know about its group that never changes while the group is open: the join token's hash, the
 * declared outputs and the deadline. Read once per group and replica instead of once per write; an entry leaves when
 * an exchange event says the group closed or went away (and after {@code expire-after-write} at the latest). A stale
 * entry can only let a write through to the partition owner, which decides on the group's real state.
 */
@ApplicationScoped
public class OpenGroups {

    /** The immutable facts of a group seen OPEN. */
    public record Facts(UUID id, byte[] joinTokenHash, List<String> outputs, Instant deadline) {
        public boolean acceptsAt(Instant now) {
            return now.isBefore(deadline);
        }
    }

    private final Pool pool;
    private final Cache cache;

    OpenGroups(Pool pool, @CacheName("exchange-open-groups") Cache cache) {
        this.pool = pool;
        this.cache = cache;
    }

    /** The group's facts while it is OPEN; {@code null} once it closed; 404 problem when it does not exist. */
    public Uni<Facts> get(UUID groupId) {
        return cache.<UUID, Facts>getAsync(groupId, this::load)
                .call(facts -> facts == null ? cache.invalidate(groupId) : Uni.createFrom().voidItem());
    }

    /** An exchange event or a deletion said the group is no longer open. */
    public void forget(UUID groupId) {
        cache.invalidate(groupId).subscribe().with(ignored -> { }, ignored -> { });
    }

    private Uni<Facts> load(UUID groupId) {
        return pool.preparedQuery("SELECT status, deadline, join_token_hash, output_names FROM exchange_group"
                + " WHERE id = $1").execute(Tuple.of(groupId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw GroupLookup.notFound(groupId);
                    }
                    Row row = rows.iterator().next();
                    if (!GroupStatus.valueOf(row.getString("status")).isOpen()) {
                        return null;
                    }
                    return new Facts(groupId, row.getBuffer("join_token_hash").getBytes(),
                            List.of(row.getString("output_names").split(",")),
                            row.getOffsetDateTime("deadline").toInstant());
                });
    }
}
