package io.leaseflow.watcher.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.contract.LeaseEventType;
import io.leaseflow.contract.ObservedVia;
import io.leaseflow.watcher.blazar.BlazarLeases;
import io.leaseflow.watcher.notification.LeaseEventFactory;
import io.leaseflow.watcher.notification.MalformedNotificationException;
import io.leaseflow.watcher.publish.LeaseFactPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Lists Blazar's leases and publishes every start and end that no notification reported: Blazar sends none unless
 * its operator enabled a driver, and queues get purged. A lease is started while ACTIVE, ended once TERMINATED or
 * past its end; leases that ended before the horizon are history and left alone.
 */
@ApplicationScoped
public class LeaseReconciler {
    private static final Logger LOG = Logger.getLogger(LeaseReconciler.class);
    private final BlazarLeases blazar;
    private final LeaseEventFactory events;
    private final LeaseFactPublisher facts;
    private final ReconcileConfig config;
    private final MeterRegistry metrics;

    public LeaseReconciler(BlazarLeases blazar, LeaseEventFactory events, LeaseFactPublisher facts,
            ReconcileConfig config, MeterRegistry metrics) {
        this.blazar = blazar;
        this.events = events;
        this.facts = facts;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${leaseflow.reconcile.interval:30s}", delayed = "${leaseflow.reconcile.initial-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return reconcile().onFailure().recoverWithItem(failure -> {
            metrics.counter("leaseflow_reconciler_runs_total", "outcome", "failed").increment();
            LOG.warnf("reconcile pass failed, next pass retries: %s", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** One pass; the number of facts it published. */
    public Uni<Integer> reconcile() {
        Instant now = Instant.now();
        return blazar.leases()
                .onItem().transformToMulti(leases -> Multi.createFrom().iterable(due(leases, now)))
                .onItem().transformToUniAndConcatenate(fact -> facts.publishOnce(fact.type(), fact.event(), null)
                        .invoke(fresh -> {
                            if (fresh) {
                                metrics.counter("leaseflow_reconciler_findings_total", "type",
                                        fact.type().name().toLowerCase()).increment();
                                LOG.infof("lease=%s %s found by the reconciler: no notification reported it",
                                        fact.event().leaseId(), fact.type().cloudEventType());
                            }
                        }))
                .collect().asList()
                .map(published -> (int) published.stream().filter(Boolean::booleanValue).count())
                .invoke(() -> metrics.counter("leaseflow_reconciler_runs_total", "outcome", "ok").increment());
    }

    private record Fact(LeaseEventType type, LeaseEvent event) {
    }

    private List<Fact> due(JsonNode leases, Instant now) {
        List<Fact> facts = new ArrayList<>();
        for (JsonNode lease : leases) {
            try {
                LeaseEvent event = events.fromLease(lease, ObservedVia.POLL, null);
                String status = event.status() == null ? "" : event.status();
                boolean ended = status.equals("TERMINATED") || (status.equals("ACTIVE") && !now.isBefore(event.endDate()));
                if (status.equals("ACTIVE") && now.isBefore(event.endDate())) {
                    facts.add(new Fact(LeaseEventType.STARTED, event));
                } else if (ended && event.endDate().isAfter(now.minus(config.horizon()))) {
                    facts.add(new Fact(LeaseEventType.ENDED, event));
                }
            } catch (MalformedNotificationException e) {
                LOG.warnf("lease=%s skipped by the reconciler: %s", lease.path("id").asText(), e.getMessage());
            }
        }
        return facts;
    }
}
