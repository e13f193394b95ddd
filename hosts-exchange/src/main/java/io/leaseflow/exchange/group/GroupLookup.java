package io.leaseflow.exchange.group;

import java.util.UUID;

import jakarta.persistence.LockModeType;

import io.leaseflow.exchange.problem.ProblemException;
import io.leaseflow.exchange.problem.ProblemType;
import io.smallrye.mutiny.Uni;

/** Finds a group or fails with the 404 problem; the locking variant serialises writers on the group row. */
public final class GroupLookup {

    private GroupLookup() {
    }

    /** Group ids in paths are UUIDs; anything else names no group. */
    public static UUID id(String pathParam) {
        try {
            return UUID.fromString(pathParam);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.GROUP_NOT_FOUND, "No group " + pathParam + ".");
        }
    }

    public static Uni<ExchangeGroup> require(UUID id) {
        return ExchangeGroup.<ExchangeGroup>findById(id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** {@code SELECT ... FOR UPDATE}: must run inside a transaction. */
    public static Uni<ExchangeGroup> requireLocked(UUID id) {
        return ExchangeGroup.<ExchangeGroup>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    public static ProblemException notFound(UUID id) {
        return new ProblemException(ProblemType.GROUP_NOT_FOUND, "No group " + id + ".");
    }
}
