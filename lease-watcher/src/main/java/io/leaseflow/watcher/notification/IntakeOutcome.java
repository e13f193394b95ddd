package io.leaseflow.watcher.notification;

/** What became of one notification. */
public enum IntakeOutcome {
    /** A new lease fact, now on Kafka. */
    PUBLISHED,
    /** A fact already on Kafka; counted only. */
    DUPLICATE,
    /** Not a Blazar lease event. */
    IGNORED,
    /** Unreadable; kept on the dead-letter topic with the reason. */
    DEAD_LETTERED,
    /** Blazar could not be asked for the rest of the lease; kept in PostgreSQL and retried later. */
    DEFERRED
}
