package io.leaseflow.openstack;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The leaseflow service user and how to reach the cloud (the {@code clouds.yaml} / {@code OS_*} settings).
 * The Keystone URL itself is {@code quarkus.rest-client.keystone.url}.
 */
@ConfigMapping(prefix = "leaseflow.openstack")
public interface OpenStackConfig {
    String username();

    String password();

    @WithDefault("Default")
    String userDomainName();

    String projectName();

    @WithDefault("Default")
    String projectDomainName();

    /** Which catalog endpoint to use: public, internal or admin. */
    @WithDefault("public")
    String endpointInterface();

    Optional<String> regionName();

    /** Renew the service token this many seconds before Keystone says it expires. */
    @WithDefault("120")
    int tokenRenewBeforeSeconds();
}
