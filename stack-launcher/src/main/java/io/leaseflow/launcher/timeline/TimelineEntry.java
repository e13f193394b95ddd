package io.leaseflow.launcher.timeline;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One thing that happened to a lease: when, which service saw or did it, what kind of thing ({@link Kind}), a line
 * for humans, the ids (details) and the trace it belongs to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineEntry(Instant time, String service, String kind, String summary, Map<String, Object> details,
        @JsonProperty("trace_id") String traceId) {

    /** Kinds in the order entries of the same instant are listed (cause before effect). */
    public enum Kind {
        OBSERVATION("observation"), LEASE_EVENT("lease-event"), PLAN_TRANSITION("plan-transition"),
        STACK_EVENT("stack-event"), HEAT_CALL("heat-call"), EXCHANGE_GROUP("exchange-group"),
        EXCHANGE_GROUP_CLOSED("exchange-group-closed");

        public final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        static int rank(String wire) {
            for (Kind k : values()) {
                if (k.wire.equals(wire)) {
                    return k.ordinal();
                }
            }
            return values().length;
        }
    }
}
