package io.leaseflow.launcher.stacks;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /v1/stacks/{id}/launch}: launch now with this reservation id (recovery, or a lost start event). */
public record LaunchRequest(@JsonProperty("reservation_id") String reservationId) {
}
