package io.leaseflow.sim.keystone;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

@ApplicationScoped
public class TrustStore {

    private final Map<String, Trust> trusts = new ConcurrentHashMap<>();

    public void save(Trust trust) {
        trusts.put(trust.id(), trust);
    }

    /** Only live trusts: a deleted or expired trust is as good as unknown. */
    public Optional<Trust> find(String id) {
        return Optional.ofNullable(id == null ? null : trusts.get(id)).filter(t -> !t.expired(Instant.now()));
    }

    public boolean delete(String id) {
        return trusts.remove(id) != null;
    }
}
