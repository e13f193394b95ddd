package io.leaseflow.launcher.binding;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Binds a stack that already waits in Heat (Chameleon's INIT_COMPLETE) to a lease. */
public record BindingRequest(
        @JsonProperty("lease_id") String leaseId,
        @JsonProperty("heat_stack_id") String heatStackId,
        @JsonProperty("reservation_parameter") String reservationParameter) {
}
