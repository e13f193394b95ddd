package io.leaseflow.openstack;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/**
 * The service user's Keystone session: a cached project-scoped token renewed before expiry, trust-scoped tokens
 * for acting as a user, and validation of users' tokens.
 */
@ApplicationScoped
public class KeystoneSession {
    private final KeystoneApi keystone;
    private final OpenStackConfig config;
    private static final int MAX_CACHED_TRUST_TOKENS = 10_000;
    private final AtomicReference<Uni<KeystoneToken>> serviceToken = new AtomicReference<>();
    private final Map<String, KeystoneToken> trustTokens = new ConcurrentHashMap<>();

    public KeystoneSession(@RestClient KeystoneApi keystone, OpenStackConfig config) {
        this.keystone = keystone;
        this.config = config;
    }

    /** The service user's project-scoped token; one request to Keystone however many callers ask at once. */
    public Uni<KeystoneToken> serviceToken() {
        Uni<KeystoneToken> cached = serviceToken.get();
        if (cached == null) {
            Uni<KeystoneToken> fresh = issue(passwordAuth(projectScope())).memoize().indefinitely();
            serviceToken.compareAndSet(null, fresh);
            cached = serviceToken.get();
        }
        Uni<KeystoneToken> current = cached;
        return current.onFailure().invoke(() -> serviceToken.compareAndSet(current, null))
                .flatMap(token -> {
                    if (token.expiresWithin(config.tokenRenewBeforeSeconds())) {
                        serviceToken.compareAndSet(current, null);
                        return serviceToken();
                    }
                    return Uni.createFrom().item(token);
                });
    }

    /** Forgets the cached service token, e.g. after a 401 from a service that no longer accepts it. */
    public void invalidate() {
        serviceToken.set(null);
    }

    /** A token of the service user scoped to a trust: with impersonation, Heat sees the trustor. */
    public Uni<KeystoneToken> trustToken(String trustId) {
        KeystoneToken cached = trustTokens.get(trustId);
        if (cached != null && !cached.expiresWithin(config.tokenRenewBeforeSeconds())) {
            return Uni.createFrom().item(cached);
        }
        ObjectNode scope = JsonNodeFactory.instance.objectNode();
        scope.putObject("OS-TRUST:trust").put("id", trustId);
        return issue(passwordAuth(scope)).invoke(token -> remember(trustId, token));
    }

    /** Forgets a trust's cached token, e.g. when the trust is deleted or Heat refused the token. */
    public void forgetTrustToken(String trustId) {
        trustTokens.remove(trustId);
    }

    // Launching and following a stack asks for the same trust's token many times; Keystone need not see each.
    private void remember(String trustId, KeystoneToken token) {
        if (trustTokens.size() >= MAX_CACHED_TRUST_TOKENS) {
            trustTokens.clear();
        }
        trustTokens.put(trustId, token);
    }

    /** Validates a user's token with Keystone; empty if Keystone does not know it (expired, revoked, forged). */
    public Uni<Optional<KeystoneToken>> validate(String userToken) {
        return serviceToken().flatMap(service -> keystone.validate(service.value(), userToken))
                .map(r -> Optional.of(KeystoneToken.from(userToken, r.getEntity())))
                .onFailure(KeystoneSession::isNotFoundOrUnauthorized).recoverWithItem(Optional.empty());
    }

    /** Creates a trust from the token's user to the service user, with the token's roles, impersonating. */
    public Uni<String> createTrust(KeystoneToken trustor, boolean allowRedelegation) {
        return serviceToken().flatMap(service -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ObjectNode trust = body.putObject("trust");
            trust.put("trustor_user_id", trustor.userId());
            trust.put("trustee_user_id", service.userId());
            trust.put("project_id", trustor.projectId());
            trust.put("impersonation", true);
            if (allowRedelegation) {
                trust.put("allow_redelegation", true);
                trust.put("redelegation_count", 3);
            }
            var roles = trust.putArray("roles");
            trustor.roles().forEach(role -> roles.addObject().put("name", role));
            return keystone.createTrust(trustor.value(), body);
        }).map(created -> created.path("trust").path("id").asText());
    }

    /**
     * Deletes a trust: with the service token (an admin may), else with a token scoped to the trust itself (with
     * impersonation its user is the trustor, whom Keystone's policy allows). Already gone counts as deleted. Heat may
     * still accept a trust token it validated in the last 300 s (keystonemiddleware's cache).
     */
    public Uni<Void> deleteTrust(String trustId) {
        return serviceToken().flatMap(service -> keystone.deleteTrust(service.value(), trustId))
                .replaceWithVoid()
                .onFailure(f -> status(f) == Response.Status.FORBIDDEN.getStatusCode())
                .recoverWithUni(() -> trustToken(trustId)
                        .flatMap(asTrustor -> keystone.deleteTrust(asTrustor.value(), trustId)).replaceWithVoid())
                .onFailure(f -> status(f) == Response.Status.NOT_FOUND.getStatusCode()).recoverWithNull()
                .invoke(() -> forgetTrustToken(trustId))
                .replaceWithVoid();
    }

    private static int status(Throwable failure) {
        return failure instanceof jakarta.ws.rs.WebApplicationException wae ? wae.getResponse().getStatus() : -1;
    }

    private Uni<KeystoneToken> issue(ObjectNode body) {
        return keystone.authenticate(body).map(KeystoneSession::toToken);
    }

    private static KeystoneToken toToken(RestResponse<JsonNode> response) {
        String value = response.getHeaderString("X-Subject-Token");
        if (value == null) {
            throw new IllegalStateException("Keystone answered " + response.getStatus() + " without X-Subject-Token");
        }
        return KeystoneToken.from(value, response.getEntity());
    }

    private ObjectNode passwordAuth(ObjectNode scope) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", config.username());
        user.putObject("domain").put("name", config.userDomainName());
        user.put("password", config.password());
        auth.set("scope", scope);
        return body;
    }

    private ObjectNode projectScope() {
        ObjectNode scope = JsonNodeFactory.instance.objectNode();
        ObjectNode project = scope.putObject("project");
        project.put("name", config.projectName());
        project.putObject("domain").put("name", config.projectDomainName());
        return scope;
    }

    private static boolean isNotFoundOrUnauthorized(Throwable failure) {
        return failure instanceof jakarta.ws.rs.WebApplicationException wae
                && (wae.getResponse().getStatus() == Response.Status.NOT_FOUND.getStatusCode()
                        || wae.getResponse().getStatus() == Response.Status.UNAUTHORIZED.getStatusCode());
    }
}
