package io.leaseflow.openstack;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Finds service endpoints (reservation, orchestration) in a token's catalog, with the configured interface. */
@ApplicationScoped
public class ServiceEndpoints {
    private final OpenStackConfig config;

    public ServiceEndpoints(OpenStackConfig config) {
        this.config = config;
    }

    public Uni<String> require(KeystoneToken token, String serviceType) {
        return Uni.createFrom().item(() -> token.endpoint(serviceType, config.endpointInterface(), config.regionName())
                .orElseThrow(() -> new MissingEndpointException(serviceType, config.endpointInterface())));
    }

    /** The catalog has no endpoint of that type and interface: a configuration problem, not a transient one. */
    public static class MissingEndpointException extends RuntimeException {
        public MissingEndpointException(String type, String endpointInterface) {
            super("no " + endpointInterface + " endpoint of type '" + type + "' in the Keystone catalog");
        }
    }
}
