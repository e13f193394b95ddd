package io.leaseflow.exchange.problem;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem details body; {@code errors} lists field-level validation failures. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, URI instance, List<String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
