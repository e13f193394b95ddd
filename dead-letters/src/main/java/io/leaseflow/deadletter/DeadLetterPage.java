package io.leaseflow.deadletter;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One page of dead letters, newest first; {@code next_marker} is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetterPage(@JsonProperty("dead_letters") List<DeadLetterView> deadLetters,
        @JsonProperty("next_marker") Long nextMarker) {
}
