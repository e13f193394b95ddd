package io.leaseflow.contract;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Data of a CloudEvent on {@link Topics#LEASE_EVENTS} (key: lease id); schema {@code schemas/lease-event.schema.json}. */
public record LeaseEvent(
        String leaseId,
        String name,
        String projectId,
        String userId,
        String trustId,
        Instant startDate,
        Instant endDate,
        String status,
        List<Reservation> reservations,
        ObservedVia observedVia,
        String sourceMessageId,
        Instant observedAt) {

    public LeaseEvent {
        reservations = reservations == null ? List.of() : List.copyOf(reservations);
    }

    /** A Blazar reservation of the lease; {@code id} is what Heat gets as {@code reservation_id}. */
    public record Reservation(String id, String resourceType, String status, String onStart) {
    }

    /** The lease's one reservation of the given type, if there is exactly one. */
    public Optional<Reservation> singleReservation(String resourceType) {
        List<Reservation> matching = reservations.stream().filter(r -> resourceType.equals(r.resourceType())).toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }
}
