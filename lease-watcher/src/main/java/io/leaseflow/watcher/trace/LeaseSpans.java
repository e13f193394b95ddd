package io.leaseflow.watcher.trace;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

/**
 * One span per unit of work on a lease (a notification, a poll finding), current until the work ends so that
 * outgoing Kafka records and HTTP calls continue its trace and every log line carries its trace id; plus the lease's
 * ids as span attributes and MDC entries.
 */
@ApplicationScoped
public class LeaseSpans {
    public static final String LEASE_ID = "leaseflow.lease.id";
    public static final String RESERVATION_ID = "leaseflow.reservation.id";
    private final Tracer tracer;

    public LeaseSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs {@code work} inside a new span, child of {@code parent} (Blazar sends no trace context: usually root). */
    public <T> Uni<T> within(String name, Context parent, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
            Scope scope = span.makeCurrent();
            Uni<T> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                started = Uni.createFrom().failure(e);
            }
            return started.onTermination().invoke((item, failure, cancelled) -> {
                if (failure != null) {
                    span.recordException(failure);
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
                scope.close();
            });
        });
    }

    /** Marks the current span and the log context with the lease. */
    public static void lease(String leaseId) {
        if (leaseId != null) {
            Span.current().setAttribute(LEASE_ID, leaseId);
            MDC.put("leaseId", leaseId);
        }
    }

    /** Marks the current span and the log context with the reservations (comma-separated when several). */
    public static void reservations(String reservationIds) {
        if (reservationIds != null && !reservationIds.isEmpty()) {
            Span.current().setAttribute(RESERVATION_ID, reservationIds);
            MDC.put("reservationId", reservationIds);
        }
    }

    /** The current trace id, or null outside a sampled trace. */
    public static String traceId() {
        var context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
