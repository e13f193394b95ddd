package io.leaseflow.watcher.notification;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.leaseflow.contract.ObservedVia;
import io.leaseflow.deadletter.DeadLetterReplayer;
import io.leaseflow.deadletter.ReplayResult;
import io.smallrye.mutiny.Uni;

/**
 * Replays a dead-lettered notification through {@link NotificationIntake} as if it came in again the way it first
 * did: the (lease, event type) dedup makes a fact published since (by the reconciler, say) a {@code duplicate}.
 */
@ApplicationScoped
public class NotificationReplayer implements DeadLetterReplayer {
    private final NotificationIntake intake;

    public NotificationReplayer(NotificationIntake intake) {
        this.intake = intake;
    }

    @Override
    public Uni<ReplayResult> replay(String source, Map<String, String> headers, byte[] payload) {
        ObservedVia via = ObservedVia.WEBHOOK.name().equals(headers.get(NotificationDeadLetters.SOURCE_HEADER))
                ? ObservedVia.WEBHOOK : ObservedVia.NOTIFICATION;
        return intake.replay(payload, via)
                .map(outcome -> ReplayResult.applied(outcome.name().toLowerCase()))
                .onFailure(MalformedNotificationException.class)
                .recoverWithItem(e -> ReplayResult.stillBad(e.getMessage()));
    }
}
