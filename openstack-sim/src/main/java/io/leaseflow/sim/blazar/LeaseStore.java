package io.leaseflow.sim.blazar;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

@ApplicationScoped
public class LeaseStore {

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    public void save(Lease lease) {
        leases.put(lease.id, lease);
    }

    public Optional<Lease> find(String id) {
        return Optional.ofNullable(id == null ? null : leases.get(id));
    }

    public Collection<Lease> all() {
        return leases.values();
    }

    public void remove(String id) {
        leases.remove(id);
    }
}
