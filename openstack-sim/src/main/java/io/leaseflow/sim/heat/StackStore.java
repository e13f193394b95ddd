package io.leaseflow.sim.heat;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** All stacks, deleted ones included: Heat still shows a deleted stack by id, but lists and names forget it. */
@ApplicationScoped
public class StackStore {

    private final Map<String, Stack> stacks = new ConcurrentHashMap<>();

    public void save(Stack stack) {
        stacks.put(stack.id, stack);
    }

    public Optional<Stack> byId(String id) {
        return Optional.ofNullable(id == null ? null : stacks.get(id));
    }

    /** A live stack of the project, by name or by id. */
    public Optional<Stack> live(String projectId, String nameOrId) {
        return stacks.values().stream()
                .filter(s -> s.projectId.equals(projectId) && !s.deleted)
                .filter(s -> s.id.equals(nameOrId) || s.name.equals(nameOrId))
                .findFirst();
    }

    public Collection<Stack> all() {
        return stacks.values();
    }
}
