package io.leaseflow.sim.blazar;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Blazar's manager loop: runs due lease events ({@code _process_events}). Real Blazar ticks every 10 s;
 * {@code sim.blazar.tick} makes that short for tests.
 */
@ApplicationScoped
public class LeaseClock {

    private static final Logger LOG = Logger.getLogger(LeaseClock.class);
    /** Same-time events run in their logical order, so a lease never ends before it started. */
    private static final List<String> ORDER = List.of("start_lease", "before_end_lease", "end_lease");

    private final LeaseStore leases;
    private final LeaseNotifier notifier;

    public LeaseClock(LeaseStore leases, LeaseNotifier notifier) {
        this.leases = leases;
        this.notifier = notifier;
    }

    @Scheduled(every = "${sim.blazar.tick}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = Instant.now();
        for (Lease lease : leases.all()) {
            try {
                advance(lease, now);
            } catch (RuntimeException e) {
                LOG.errorf(e, "lease %s: event processing failed", lease.id);
            }
        }
    }

    void advance(Lease lease, Instant now) {
        Optional<Lease.Event> due;
        while ((due = nextDue(lease, now)).isPresent()) {
            run(lease, due.get(), now.truncatedTo(ChronoUnit.SECONDS));
        }
    }

    private static Optional<Lease.Event> nextDue(Lease lease, Instant now) {
        synchronized (lease) {
            return lease.events.stream()
                    .filter(e -> "UNDONE".equals(e.status) && !e.time.isAfter(now))
                    .min(Comparator.comparing((Lease.Event e) -> e.time).thenComparing(e -> ORDER.indexOf(e.eventType)));
        }
    }

    private void run(Lease lease, Lease.Event event, Instant now) {
        String status;
        synchronized (lease) {
            switch (event.eventType) {
                case "start_lease" -> {
                    lease.status = "ACTIVE";
                    setReservations(lease, "active", now);
                }
                case "end_lease" -> {
                    lease.status = "TERMINATED";
                    setReservations(lease, "deleted", now);
                }
                default -> {
                    // before_end_lease only notifies (the 'default' before_end action does nothing).
                }
            }
            event.status = "DONE";
            event.updatedAt = now;
            lease.updatedAt = now;
            status = lease.status;
        }
        LOG.infof("lease %s: %s done, status %s", lease.id, event.eventType, status);
        notifier.send(lease, "lease.event." + event.eventType, status);
    }

    private static void setReservations(Lease lease, String status, Instant now) {
        for (Lease.Reservation r : lease.reservations) {
            r.status = status;
            r.updatedAt = now;
        }
    }
}
