package io.leaseflow.watcher.reconcile;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseStartOverdue;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Reads {@code leaseflow.lease-events} for stack-launcher's {@code io.leaseflow.lease.start-overdue} (every other type
 * is skipped unread) and reconciles that lease against Blazar at once instead of at the next reconciler pass. A
 * failure is logged and acknowledged: the periodic reconciler is the fallback, and the lease stays overdue on
 * stack-launcher's gauge until a start arrives.
 */
@ApplicationScoped
public class StartOverdueConsumer {
    private static final Logger LOG = Logger.getLogger(StartOverdueConsumer.class);
    private final LeaseReconciler reconciler;
    private final ReconcilerHealth health;

    public StartOverdueConsumer(LeaseReconciler reconciler, ReconcilerHealth health) {
        this.reconciler = reconciler;
        this.health = health;
    }

    @Incoming("lease-watchdog")
    public Uni<Void> consume(Message<String> message) {
        String type = message.getMetadata(IncomingCloudEventMetadata.class).map(IncomingCloudEventMetadata::getType)
                .orElse("");
        if (!LeaseStartOverdue.TYPE.equals(type)) {
            return Uni.createFrom().completionStage(message.ack());
        }
        String leaseId = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
        if (leaseId == null || leaseId.isBlank()) {
            health.overdueReconciled("invalid");
            LOG.warnf("start-overdue without a lease id (Kafka key) skipped");
            return Uni.createFrom().completionStage(message.ack());
        }
        return reconciler.reconcileLease(leaseId)
                .invoke(outcome -> {
                    health.overdueReconciled(outcome);
                    LOG.infof("lease=%s start overdue at stack-launcher; reconciled with Blazar: %s", leaseId, outcome);
                })
                .onFailure().recoverWithItem(failure -> {
                    health.overdueReconciled("failed");
                    LOG.warnf("lease=%s start overdue, but Blazar could not be asked (the reconciler will retry): %s",
                            leaseId, failure.toString());
                    return "failed";
                })
                .flatMap(outcome -> Uni.createFrom().completionStage(message.ack()));
    }
}
