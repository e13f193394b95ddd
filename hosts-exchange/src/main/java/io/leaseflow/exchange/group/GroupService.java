package io.leaseflow.exchange.group;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.leaseflow.exchange.auth.JoinTokenCheck;
import io.leaseflow.exchange.auth.SecretTokens;
import io.leaseflow.exchange.inputs.GroupChangeNotifier;
import io.leaseflow.exchange.metrics.ExchangeMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Creates, shows, deletes and expires groups. */
@ApplicationScoped
public class GroupService {

    private static final Logger LOG = Logger.getLogger(GroupService.class);

    private final GroupChangeNotifier notifier;
    private final ExchangeMetrics metrics;

    GroupService(GroupChangeNotifier notifier, ExchangeMetrics metrics) {
        this.notifier = notifier;
        this.metrics = metrics;
    }

    /** The new group and its join token, which is returned here and never again. */
    public record Created(ExchangeGroup group, String joinToken) {
    }

    @WithTransaction
    public Uni<Created> create(CreateGroupRequest.ValidGroup spec) {
        String joinToken = SecretTokens.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        var group = new ExchangeGroup();
        group.id = UUID.randomUUID();
        group.name = spec.name();
        group.size = spec.size();
        group.outputNames = String.join(",", spec.outputs());
        group.timeoutSeconds = spec.timeoutSeconds();
        group.onTimeout = spec.onTimeout();
        group.status = GroupStatus.OPEN;
        group.joinTokenHash = SecretTokens.hash(joinToken);
        group.createdAt = now;
        group.deadline = now.plusSeconds(spec.timeoutSeconds());
        return group.persist().map(persisted -> {
            metrics.groupCreated();
            LOG.infof("group=%s created size=%d outputs=%s deadline=%s on_timeout=%s", group.id, group.size,
                    group.outputNames, group.deadline, group.onTimeout.wireName());
            return new Created(group, joinToken);
        });
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
                .invoke(group -> {
                    LOG.infof("group=%s deleted status=%s reported=%d/%d", id, group.status, group.reported,
                            group.size);
                    notifier.groupChanged(id, true);
                })
                .replaceWithVoid();
    }

    /** Closes open groups past their deadline as EXPIRED or PARTIAL and wakes their long-polls. */
    public Uni<Integer> expireOverdue(int batchSize) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> ExchangeGroup.<ExchangeGroup>find(
                "status = ?1 and deadline <= ?2 order by deadline", GroupStatus.OPEN, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, batchSize)
                .list()
                .invoke(groups -> groups.forEach(group -> group.expire(now))))
                .map(groups -> {
                    for (ExchangeGroup group : groups) {
                        LOG.infof("group=%s OPEN -> %s reported=%d/%d", group.id, group.status, group.reported,
                                group.size);
                        metrics.groupClosed(group.status);
                        notifier.groupChanged(group.id, true);
                    }
                    return groups.size();
                });
    }
}
