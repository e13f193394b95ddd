package io.leaseflow.launcher.plan;

import java.util.List;

import io.leaseflow.contract.LeaseEvent;

/**
 * Which of a lease's reservations a plan launches into: the one with the selected id, else the single reservation of
 * the selected type (default {@code physical:host}). The value Heat gets is that reservation's {@code id}, never the
 * lease id or the reservation's {@code resource_id}.
 */
public record ReservationChoice(String reservationId, String problem) {

    public static ReservationChoice of(List<LeaseEvent.Reservation> reservations, String selectedId, String type) {
        if (selectedId != null) {
            return reservations.stream().anyMatch(r -> selectedId.equals(r.id()))
                    ? new ReservationChoice(selectedId, null)
                    : new ReservationChoice(null, "the lease has no reservation " + selectedId);
        }
        List<LeaseEvent.Reservation> matching = reservations.stream().filter(r -> type.equals(r.resourceType()))
                .toList();
        if (matching.size() == 1) {
            return new ReservationChoice(matching.get(0).id(), null);
        }
        return new ReservationChoice(null, "the lease has " + matching.size() + " " + type
                + " reservations; exactly one is needed (select one with reservation.id)");
    }

    public boolean found() {
        return reservationId != null;
    }
}
