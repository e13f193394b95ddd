package io.leaseflow.exchange.group;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer to {@code GET /v1/groups/{id}}; carries no secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupView(
        UUID id,
        String name,
        int size,
        int reported,
        int failed,
        GroupStatus status,
        List<String> outputs,
        @JsonProperty("timeout_s") int timeoutSeconds,
        @JsonProperty("on_timeout") String onTimeout,
        @JsonProperty("created_at") Instant createdAt,
        Instant deadline,
        @JsonProperty("closed_at") Instant closedAt,
        @JsonProperty("lease_id") String leaseId) {

    static GroupView of(ExchangeGroup g) {
        return new GroupView(g.id, g.name, g.size, g.reported, g.failed, g.status, g.outputNameList(), g.timeoutSeconds,
                g.onTimeout.wireName(), g.createdAt, g.deadline, g.closedAt, g.leaseId);
    }
}
