package io.leaseflow.launcher.stacks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.leaseflow.launcher.exchange.ExchangeSpec;

/**
 * {@code POST /v1/stacks}: Heat's create body plus the lease to launch with. {@code heat_stack_id} only for mode
 * {@code bound} (a stack already INIT_COMPLETE in Chameleon's Heat). {@code exchange}: the hosts-exchange group created at
 * launch for a template that declares {@code exchange_url} and {@code exchange_token} (see {@link ExchangeSpec}).
 */
public record InitializeRequest(
        @JsonProperty("stack_name") String stackName,
        JsonNode template,
        ObjectNode parameters,
        JsonNode environment,
        JsonNode files,
        @JsonProperty("timeout_mins") Integer timeoutMins,
        @JsonProperty("disable_rollback") Boolean disableRollback,
        JsonNode tags,
        @JsonProperty("lease_id") String leaseId,
        Selector reservation,
        @JsonProperty("reservation_parameter") String reservationParameter,
        String mode,
        @JsonProperty("heat_stack_id") String heatStackId,
        @JsonProperty("on_end") String onEnd,
        ExchangeSpec.Request exchange) {

    /** Which reservation of the lease: by {@code id}, else the single one of {@code resource_type}. */
    public record Selector(String id, @JsonProperty("resource_type") String resourceType) {
    }
}
