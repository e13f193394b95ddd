package io.leaseflow.sim.control;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** One OpenStack call the simulator received; {@code status} and {@code request_id} are filled in with the response. */
public class RecordedRequest {

    @JsonProperty public final String service;
    @JsonProperty public final String method;
    @JsonProperty public final String path;
    @JsonProperty public final String query;
    @JsonProperty public final Object body;
    @JsonProperty public final Instant time;
    @JsonProperty public final String user;
    @JsonProperty("user_id") public final String userId;
    @JsonProperty("trust_id") public final String trustId;
    @JsonProperty public volatile Integer status;
    /** The W3C trace context the caller sent, as a tracing-aware client propagates it. */
    @JsonProperty public final String traceparent;
    /** The {@code x-openstack-request-id} this simulator answered with. */
    @JsonProperty("request_id") public volatile String requestId;

    public RecordedRequest(String service, String method, String path, String query, Object body, Instant time,
                           String user, String userId, String trustId, String traceparent) {
        this.service = service;
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
        this.time = time;
        this.user = user;
        this.userId = userId;
        this.trustId = trustId;
        this.traceparent = traceparent;
    }
}
