package io.leaseflow.contract;

import java.util.Arrays;
import java.util.Optional;

/** CloudEvents types on {@link Topics#STACK_EVENTS} (key: leaseflow plan id), one per plan transition. */
public enum StackEventType {
    /** The plan was claimed for launch ({@code INIT_COMPLETE -> LAUNCHING}). */
    LAUNCH_REQUESTED("io.leaseflow.stack.launch-requested"),
    /** Heat accepted the PATCH or POST ({@code LAUNCHING -> IN_PROGRESS}). */
    LAUNCHED("io.leaseflow.stack.launched"),
    /** The stack reached {@code *_COMPLETE} with the reservation id. */
    COMPLETED("io.leaseflow.stack.completed"),
    /** Heat refused, the stack ended {@code *_FAILED}, or the plan timed out. */
    FAILED("io.leaseflow.stack.failed"),
    /** The plan ended before launch: deleted by its owner ({@code CANCELLED}) or its lease ended ({@code EXPIRED}). */
    CANCELLED("io.leaseflow.stack.cancelled");

    private final String cloudEventType;

    StackEventType(String cloudEventType) {
        this.cloudEventType = cloudEventType;
    }

    public String cloudEventType() {
        return cloudEventType;
    }

    public static Optional<StackEventType> fromCloudEvent(String type) {
        return Arrays.stream(values()).filter(t -> t.cloudEventType.equals(type)).findFirst();
    }
}
