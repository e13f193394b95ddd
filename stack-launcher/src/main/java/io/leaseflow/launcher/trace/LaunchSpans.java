package io.leaseflow.launcher.trace;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;

/**
 * Spans for units of work (a lease event, a plan's launch), current until the work ends so that the Heat call carries
 * their {@code traceparent} and every log line their trace id; the lease, reservation and stack ids go on the span
 * and into the MDC.
 */
@ApplicationScoped
public class LaunchSpans {
    public static final String LEASE_ID = "leaseflow.lease.id";
    public static final String RESERVATION_ID = "leaseflow.reservation.id";
    public static final String STACK_ID = "leaseflow.stack.id";
    public static final String PLAN_ID = "leaseflow.plan.id";
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private final Tracer tracer;

    public LaunchSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Runs {@code work} inside a new span, child of {@code parent}, current until the work ends. */
    public <T> Uni<T> within(String name, SpanKind kind, Context parent, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan();
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

    /** Marks the current span and the log context with the ids that are known (nulls are skipped). */
    public static void ids(String leaseId, String reservationId, String planId, String stackId) {
        put(LEASE_ID, "leaseId", leaseId);
        put(RESERVATION_ID, "reservationId", reservationId);
        put(PLAN_ID, "planId", planId);
        put(STACK_ID, "stackId", stackId);
    }

    private static void put(String attribute, String mdcKey, String value) {
        if (value != null && !value.isEmpty()) {
            Span.current().setAttribute(attribute, value);
            MDC.put(mdcKey, value);
        }
    }

    /** The current trace id, or null outside a trace. */
    public static String traceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    /** The current span as a W3C {@code traceparent}, or null outside a trace. */
    public static String traceparent() {
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    /** The context a stored {@code traceparent} names (root if none). */
    public static Context fromTraceparent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", traceparent), MAP);
    }
}
