package io.leaseflow.exchange.member;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.leaseflow.exchange.group.GroupStatus;

/** Answer to a member write; {@code member_secret} only on the first write, which claimed the key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberReportAccepted(
        String key,
        @JsonProperty("member_secret") String memberSecret,
        @JsonProperty("group_status") GroupStatus groupStatus) {
}
