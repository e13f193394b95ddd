package io.leaseflow.launcher.heat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes one {@code heat_call} row per request to Heat (method, path, status, duration, Heat's request id, trace id,
 * plan and lease) for the lease timeline. The insert goes through the reactive pool, not a Hibernate session, and is
 * not awaited: it neither delays the launch nor shares a session with it. A failed insert is logged, never fatal.
 */
@ApplicationScoped
public class HeatCallLog {
    private static final Logger LOG = Logger.getLogger(HeatCallLog.class);
    private final Pool pool;

    public HeatCallLog(Pool pool) {
        this.pool = pool;
    }

    /** One finished call; {@code status} null when Heat did not answer ({@code error} says why). */
    public record HeatCall(HeatCallSubject subject, String operation, String method, String path, Integer status,
            String error, long durationMs, String requestId, String traceId, Instant at) {
    }

    public void record(HeatCall call) {
        HeatCallSubject s = call.subject() == null ? new HeatCallSubject(null, null) : call.subject();
        pool.preparedQuery("""
                INSERT INTO heat_call (plan_id, lease_id, operation, method, path, status, error, duration_ms,
                                       request_id, trace_id, at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.from(new Object[] { s.planId(), s.leaseId(), call.operation(), call.method(),
                        call.path(), call.status(), call.error(), (int) Math.min(Integer.MAX_VALUE, call.durationMs()),
                        call.requestId(), call.traceId(), OffsetDateTime.ofInstant(call.at(), ZoneOffset.UTC) }))
                .subscribe().with(done -> {
                }, failure -> LOG.warnf("plan=%s Heat call %s %s not logged: %s", s.planId(), call.method(),
                        call.path(), failure.toString()));
    }
}
