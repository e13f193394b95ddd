package io.leaseflow.launcher.concurrency;

import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs reactive work on a new, safe duplicated Vert.x context. Hibernate Reactive keeps its session in the current
 * context, so units of work that run concurrently (launches of different leases, status checks of different stacks)
 * each need their own context, flagged safe for Panache.
 */
public final class IsolatedContexts {
    private IsolatedContexts() {
    }

    /** Subscribes to {@code work} on a fresh context; a synchronous throw becomes a failure. */
    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> Uni.createFrom().<T>deferred(work::get).subscribe()
                    .with(emitter::complete, emitter::fail));
        });
    }
}
