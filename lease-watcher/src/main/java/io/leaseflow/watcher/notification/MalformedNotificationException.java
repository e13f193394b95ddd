package io.leaseflow.watcher.notification;

/** The bytes are not an oslo notification we can read; the reason goes to the dead-letter record. */
public class MalformedNotificationException extends RuntimeException {
    public MalformedNotificationException(String reason) {
        super(reason);
    }

    public MalformedNotificationException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
