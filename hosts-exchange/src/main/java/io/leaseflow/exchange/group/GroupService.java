package io.leaseflow.exchange.group;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.exchange.ExchangeCloudEvents;
import io.leaseflow.contract.exchange.ExchangeEvent;
import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.leaseflow.exchange.config.ExchangeConfig;
import io.leaseflow.exchange.events.ExchangeEventPublisher;
import io.leaseflow.exchange.events.ExchangeEventPublisher.Outgoing;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.leaseflow.exchange.trace.GroupTrace;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Creates, shows, deletes and expires groups. Changes made here (delete, expiry) reach every replica's parked polls
 * as events on {@code leaseflow.exchange-events}, the same path as member reports.
 */
@ApplicationScoped
public class GroupService {

    private static final Logger LOG = Logger.getLogger(GroupService.class);

    private final ExchangeEventPublisher events;
    private final OpenGroups openGroups;
    private final ExchangeMetrics metrics;
    private final Pool pool;
    private final ExchangeConfig config;

    GroupService(ExchangeEventPublisher events, ExchangeMetrics metrics, Pool pool, ExchangeConfig config,
            OpenGroups openGroups) {
        this.events = events;
        this.openGroups = openGroups;
        this.metrics = metrics;
        this.pool = pool;
        this.config = config;
    }

    /** The group and its join token, which is returned here and never again; {@code isNew} unless repeated. */
    public record Created(ExchangeGroup group, String joinToken, boolean isNew) {
    }

    @WithTransaction
    public Uni<Created> create(CreateGroupRequest.ValidGroup spec) {
        return persistNew(UUID.randomUUID(), SecretTokens.generate(), spec);
    }

    /**
     * Creates the group under the caller's id and token, or confirms the one a repeated call made: same token and
     * definition. Two calls racing on one new id: the loser's insert fails on the primary key and it is told to retry.
     */
    @WithTransaction
    public Uni<Created> createWithId(UUID id, String joinToken, CreateGroupRequest.ValidGroup spec) {
        return ExchangeGroup.<ExchangeGroup>findById(id).chain(existing -> {
            if (existing == null) {
                return persistNew(id, joinToken, spec);
            }
            if (!SecretTokens.matches(joinToken, existing.joinTokenHash)) {
                throw new ProblemException(ProblemType.GROUP_ID_TAKEN, "Group " + id
                        + " exists and was created with another join token.");
            }
            if (existing.size != spec.size() || !existing.outputNames.equals(String.join(",", spec.outputs()))
                    || existing.timeoutSeconds != spec.timeoutSeconds() || existing.onTimeout != spec.onTimeout()) {
                throw new ProblemException(ProblemType.GROUP_ID_TAKEN, "Group " + id
                        + " exists with another definition (size, outputs, timeout_s or on_timeout).");
            }
            return Uni.createFrom().item(new Created(existing, joinToken, false));
        });
    }

    private Uni<Created> persistNew(UUID id, String joinToken, CreateGroupRequest.ValidGroup spec) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var group = new ExchangeGroup();
        group.id = id;
        group.name = spec.name();
        group.size = spec.size();
        group.outputNames = String.join(",", spec.outputs());
        group.timeoutSeconds = spec.timeoutSeconds();
        group.onTimeout = spec.onTimeout();
        group.status = GroupStatus.OPEN;
        group.joinTokenHash = SecretTokens.hash(joinToken);
        group.createdAt = now;
        group.deadline = now.plusSeconds(spec.timeoutSeconds());
        group.leaseId = spec.leaseId();
        GroupTrace.ids(group.id.toString(), group.leaseId);
        if (spec.heatExport() != null) {
            group.heatExportGroup = spec.heatExport().group();
            group.heatExportConfig = spec.heatExport().config();
        }
        if (spec.heatPopulate() != null) {
            group.heatPopulateGroup = spec.heatPopulate().group();
            group.heatPopulateConfig = spec.heatPopulate().config();
        }
        return group.persist().map(persisted -> {
            metrics.groupCreated();
            LOG.infof("group=%s lease=%s created size=%d outputs=%s deadline=%s on_timeout=%s", group.id,
                    group.leaseId, group.size, group.outputNames, group.deadline, group.onTimeout.wireName());
            return new Created(group, joinToken, true);
        });
    }

    /** The groups that name this lease, oldest first. */
    @WithSession
    public Uni<List<ExchangeGroup>> ofLease(String leaseId) {
        return ExchangeGroup.list("leaseId = ?1 order by createdAt", leaseId);
    }

    @WithSession
    public Uni<ExchangeGroup> find(UUID id) {
        return GroupLookup.require(id);
    }

    /** Deletes the group and its reports (join token required); parked long-polls wake up to a 404. */
    public Uni<Void> delete(UUID id, String authorization) {
        return Panache.withTransaction(() -> GroupLookup.requireLocked(id)
                .invoke(group -> JoinTokenCheck.require(authorization, group.joinTokenHash))
                .call(group -> group.delete()))
                .call(group -> {
                    openGroups.forget(id);
                    LOG.infof("group=%s deleted status=%s reported=%d/%d", id, group.status, group.reported,
                            group.size);
                    var event = new ExchangeEvent(id.toString(), "DELETED", group.size, group.reported, group.failed,
                            group.revision + 1, Instant.now());
                    return publishQuietly(List.of(new Outgoing(ExchangeCloudEvents.GROUP_CHANGED, event)));
                })
                .replaceWithVoid();
    }

    /**
     * Closes open groups past their deadline as EXPIRED or PARTIAL in one statement. {@code SKIP LOCKED}: a group
     * the partition owner is writing right now is left for the next tick instead of waiting on (or deadlocking with)
     * the owner's batch.
     */
    public Uni<Integer> expireOverdue(int batchSize) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.preparedQuery("""
                UPDATE exchange_group SET status = CASE WHEN on_timeout = 'PARTIAL' THEN 'PARTIAL' ELSE 'EXPIRED' END,
                       closed_at = $1, revision = revision + 1
                WHERE id IN (SELECT id FROM exchange_group WHERE status = 'OPEN' AND deadline <= $1
                             ORDER BY deadline LIMIT $2 FOR UPDATE SKIP LOCKED)
                RETURNING id, status, size, reported, failed, revision""")
                .execute(Tuple.of(now, batchSize))
                .chain(rows -> {
                    List<Outgoing> expired = new ArrayList<>();
                    for (Row row : rows) {
                        GroupStatus status = GroupStatus.valueOf(row.getString("status"));
                        LOG.infof("group=%s OPEN -> %s reported=%d/%d", row.getUUID("id"), status,
                                row.getInteger("reported"), row.getInteger("size"));
                        metrics.groupClosed(status);
                        expired.add(new Outgoing(ExchangeCloudEvents.GROUP_EXPIRED, new ExchangeEvent(
                                row.getUUID("id").toString(), status.name(), row.getInteger("size"),
                                row.getInteger("reported"), row.getInteger("failed"), row.getLong("revision"),
                                now.toInstant())));
                    }
                    return publishQuietly(expired).replaceWith(expired.size());
                });
    }

    /** Refreshes the groups-by-status gauges and forgets decided report ids past their retention. */
    public Uni<Void> housekeeping() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.processedRetention());
        return pool.query("SELECT status, count(*) AS n FROM exchange_group GROUP BY status").execute()
                .invoke(rows -> {
                    Map<GroupStatus, Long> counts = new EnumMap<>(GroupStatus.class);
                    rows.forEach(row -> counts.put(GroupStatus.valueOf(row.getString("status")), row.getLong("n")));
                    metrics.groupsByStatus(counts);
                })
                .chain(() -> pool.preparedQuery("DELETE FROM exchange_processed_report WHERE processed_at < $1")
                        .execute(Tuple.of(cutoff)))
                .replaceWithVoid();
    }

    /** The change is committed; a lost event only delays wake-ups until the resync timer repairs them. */
    private Uni<Void> publishQuietly(List<Outgoing> outgoing) {
        return events.publishAll(outgoing)
                .onFailure().invoke(e -> LOG.warnf("publishing %d exchange events failed: %s", outgoing.size(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
