package io.leaseflow.contract;

import java.util.Arrays;
import java.util.Optional;

/** CloudEvents types on {@link Topics#LEASE_EVENTS}, each with the Blazar notification it comes from. */
public enum LeaseEventType {
    CREATED("org.openstack.reservation.lease.created", "lease.create"),
    UPDATED("org.openstack.reservation.lease.updated", "lease.update"),
    DELETED("org.openstack.reservation.lease.deleted", "lease.delete"),
    STARTED("org.openstack.reservation.lease.started", "lease.event.start_lease"),
    ENDING("org.openstack.reservation.lease.ending", "lease.event.before_end_lease"),
    ENDED("org.openstack.reservation.lease.ended", "lease.event.end_lease");

    private final String cloudEventType;
    private final String blazarEventType;

    LeaseEventType(String cloudEventType, String blazarEventType) {
        this.cloudEventType = cloudEventType;
        this.blazarEventType = blazarEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public String blazarEventType() {
        return blazarEventType;
    }

    public static Optional<LeaseEventType> fromBlazar(String eventType) {
        return Arrays.stream(values()).filter(t -> t.blazarEventType.equals(eventType)).findFirst();
    }

    public static Optional<LeaseEventType> fromCloudEvent(String type) {
        return Arrays.stream(values()).filter(t -> t.cloudEventType.equals(type)).findFirst();
    }
}
