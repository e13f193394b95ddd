package io.leaseflow.sim.keystone;

import io.leaseflow.sim.SimConfig;
import io.leaseflow.sim.keystone.IdentityDirectory.Project;
import io.leaseflow.sim.keystone.IdentityDirectory.Role;
import io.leaseflow.sim.keystone.IdentityDirectory.User;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Issued tokens; the other simulated services validate X-Auth-Token here, like keystonemiddleware does. */
@ApplicationScoped
public class TokenStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final SimConfig config;
    private final TrustStore trusts;

    public TokenStore(SimConfig config, TrustStore trusts) {
        this.config = config;
        this.trusts = trusts;
    }

    public Token issue(User user, User authenticatedUser, Project project, List<Role> roles, List<String> methods, Trust trust) {
        // Keystone keeps the whole second and pads the fraction with zeros.
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = issued.plus(config.keystone().tokenTtl());
        Token token = new Token(newTokenId(), user, authenticatedUser, project, roles, methods, issued, expires,
                randomUrlSafe(16), trust);
        tokens.put(token.id(), token);
        evictExpired();
        return token;
    }

    /** A token that is known, not expired, and whose trust (if any) still exists. */
    public Optional<Token> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        Token token = tokens.get(id.trim());
        if (token == null || !Instant.now().isBefore(token.expiresAt())) {
            return Optional.empty();
        }
        if (token.trust() != null && trusts.find(token.trust().id()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** The X-Auth-Token check of keystonemiddleware in front of Heat and Blazar. */
    public Token authenticate(String xAuthToken) {
        return find(xAuthToken).orElseThrow(KeystoneError::unauthorized);
    }

    /** For the request log: who sent a request, even with a token that is no longer valid. */
    public Optional<Token> peek(String id) {
        return Optional.ofNullable(id == null ? null : tokens.get(id.trim()));
    }

    /** Makes a token expire now (as if its TTL had run out), so that clients can be tested against expiry. */
    public boolean expire(String id) {
        Instant now = Instant.now();
        return id != null && tokens.computeIfPresent(id.trim(), (key, t) -> new Token(t.id(), t.user(),
                t.authenticatedUser(), t.project(), t.roles(), t.methods(), t.issuedAt(), now, t.auditId(),
                t.trust())) != null;
    }

    public boolean revoke(String id) {
        return tokens.remove(id) != null;
    }

    private void evictExpired() {
        Instant now = Instant.now();
        if (tokens.size() > 10_000) {
            tokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
        }
    }

    /** Shaped like a Fernet token so that header-size assumptions in clients get exercised. */
    private static String newTokenId() {
        return "gAAAAA" + randomUrlSafe(138);
    }

    private static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
