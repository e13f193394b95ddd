package io.leaseflow.exchange.group;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.exchange.config.ExchangeConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Timer that closes groups past their deadline, so one silent member never holds the others for long. Runs on every
 * replica; {@code SKIP LOCKED} keeps them from closing the same group twice.
 */
@ApplicationScoped
public class GroupExpirySweeper {

    private static final Logger LOG = Logger.getLogger(GroupExpirySweeper.class);

    private final GroupService groups;
    private final ExchangeConfig config;

    GroupExpirySweeper(GroupService groups, ExchangeConfig config) {
        this.groups = groups;
        this.config = config;
    }

    @Scheduled(identity = "exchange-expiry-sweep", every = "${leaseflow.exchange.sweep-interval:5s}",
            delayed = "${leaseflow.exchange.sweep-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return groups.expireOverdue(config.sweepBatchSize())
                .onFailure().invoke(e -> LOG.warnf(e, "expiry sweep failed; retrying next tick"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(identity = "exchange-housekeeping", every = "${leaseflow.exchange.housekeeping-interval:30s}",
            delayed = "${leaseflow.exchange.sweep-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> housekeeping() {
        return groups.housekeeping()
                .onFailure().invoke(e -> LOG.warnf("housekeeping failed; retrying next tick: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
