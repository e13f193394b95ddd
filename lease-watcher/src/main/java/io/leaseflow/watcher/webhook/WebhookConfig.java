package io.leaseflow.watcher.webhook;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may post notifications over HTTP: a shared secret, or a Keystone token carrying one of the roles. */
@ConfigMapping(prefix = "leaseflow.webhook")
public interface WebhookConfig {
    /** Sent as {@code Authorization: Bearer <secret>}; unset disables this way in. */
    Optional<String> sharedSecret();

    /** Roles a Keystone token ({@code X-Auth-Token}) must carry one of. */
    @WithDefault("admin,service")
    List<String> allowedRoles();
}
