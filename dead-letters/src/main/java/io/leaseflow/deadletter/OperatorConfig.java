package io.leaseflow.deadletter;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may use the operator API: a Keystone token with one of the roles, or the operator secret. */
@ConfigMapping(prefix = "leaseflow.operator")
public interface OperatorConfig {
    /** Sent as {@code Authorization: Bearer <secret>}; unset means only Keystone tokens are accepted. */
    Optional<String> secret();

    /** Roles of which a Keystone token ({@code X-Auth-Token}) must carry one. */
    @WithDefault("admin")
    List<String> roles();
}
