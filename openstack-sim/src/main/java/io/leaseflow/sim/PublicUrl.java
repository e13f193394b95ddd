package io.leaseflow.sim;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

/**
 * The base URL clients reach the simulator at. Configured when it sits behind a proxy or in a container;
 * otherwise the request's own base URI, which stays right with random test ports.
 */
@ApplicationScoped
public class PublicUrl {

    private final SimConfig config;

    public PublicUrl(SimConfig config) {
        this.config = config;
    }

    public String base(UriInfo uriInfo) {
        String base = config.publicUrl().filter(s -> !s.isBlank()).orElseGet(() -> uriInfo.getBaseUri().toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String identity(UriInfo uriInfo) {
        return base(uriInfo) + "/identity/v3";
    }
}
