package io.leaseflow.exchange.group;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer to {@code POST /v1/groups}: the only time the join token is ever shown. */
public record GroupCreated(
        UUID id,
        String name,
        int size,
        GroupStatus status,
        @JsonProperty("join_token") String joinToken,
        Urls urls) {

    /**
     * {@code members} and {@code heat_members} are templates: replace {@code {key}} with the member's key.
     * {@code heat_members} issues capability URLs for images that run os-collect-config and heat-config.
     */
    public record Urls(String members, String inputs, @JsonProperty("heat_members") String heatMembers) {
    }
}
