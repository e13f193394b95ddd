package io.leaseflow.launcher.lease;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.leaseflow.contract.LeaseEvent;
import io.leaseflow.launcher.plan.LaunchPlan;
import io.leaseflow.launcher.plan.PlanStatus;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code lease.updated}: a waiting plan's lease dates follow Blazar's, so that the watchdog does not call a start
 * overdue that was moved later (and does call it when it was moved earlier).
 */
@ApplicationScoped
public class LeaseDates {
    private static final Logger LOG = Logger.getLogger(LeaseDates.class);

    public Uni<Void> updated(LeaseEvent event) {
        if (event.startDate() == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> LaunchPlan.update(
                "leaseStart = ?1, leaseEnd = ?2, startOverdueAt = null where leaseId = ?3 and status = ?4"
                        + " and (leaseStart is null or leaseStart <> ?1 or leaseEnd is null or leaseEnd <> ?2)",
                event.startDate(), event.endDate(), event.leaseId(), PlanStatus.INIT_COMPLETE))
                .invoke(rows -> {
                    if (rows > 0) {
                        LOG.infof("lease=%s dates now %s .. %s on %d waiting plans", event.leaseId(),
                                event.startDate(), event.endDate(), rows);
                    }
                })
                .replaceWithVoid();
    }
}
