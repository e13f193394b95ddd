package io.leaseflow.watcher.notification;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.ObservedVia;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Gives deferred notifications another go when due; one that is deferred again keeps its row. */
@ApplicationScoped
public class DeferredNotificationRetrier {
    private static final Logger LOG = Logger.getLogger(DeferredNotificationRetrier.class);
    private final DeferredNotifications deferred;
    private final NotificationIntake intake;

    public DeferredNotificationRetrier(DeferredNotifications deferred, NotificationIntake intake) {
        this.deferred = deferred;
        this.intake = intake;
    }

    @Scheduled(every = "${leaseflow.deferred.retry-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retryDue() {
        return deferred.due(100)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(this::retry)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> retry(DeferredNotification n) {
        return intake.process(n.body, ObservedVia.valueOf(n.via))
                .flatMap(outcome -> deferred.done(n))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("deferred notification %d still failing: %s", n.id, failure.toString());
                    return deferred.retryLater(n, failure.toString());
                });
    }
}
