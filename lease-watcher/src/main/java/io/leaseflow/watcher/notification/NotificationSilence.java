package io.leaseflow.watcher.notification;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code leaseflow_watcher_seconds_since_last_notification}: how long our queue has been silent (counted from start-up
 * until the first message). Silence alone is normal on a quiet cloud; silence while the reconciler finds starts means
 * notifications are being lost.
 */
@Startup
@ApplicationScoped
public class NotificationSilence {
    private final AtomicLong lastReceivedMillis = new AtomicLong(System.currentTimeMillis());

    public NotificationSilence(MeterRegistry registry) {
        // a gauge reads the object it was first registered with: replace one of an earlier instance (tests restart)
        registry.find("leaseflow_watcher_seconds_since_last_notification").meters().forEach(registry::remove);
        Gauge.builder("leaseflow_watcher_seconds_since_last_notification", lastReceivedMillis,
                        last -> (System.currentTimeMillis() - last.get()) / 1000.0)
                .description("Seconds since the last message arrived on lease-watcher's AMQP queue (since start-up"
                        + " before the first)")
                .register(registry); // no baseUnit: Micrometer would append "_seconds" to the name
    }

    /** Any message from the queue, whatever it turns out to be. */
    public void received() {
        lastReceivedMillis.set(System.currentTimeMillis());
    }
}
