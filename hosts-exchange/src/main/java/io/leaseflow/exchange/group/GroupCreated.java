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

    /** {@code members} is a template: replace {@code {key}} with the member's key. */
    public record Urls(String members, String inputs) {
    }
}
