package dev.mlpipeline.common;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs blocking or CPU-heavy work off the event loop and comes back on the caller's Vert.x
 * context, so that a Hibernate Reactive session opened there can be used again afterwards.
 * (Named so that it is not mistaken for SmallRye's {@code @Blocking} annotation, which moves a
 * whole endpoint to a worker thread; this moves one piece of work.)
 */
public final class Offload {

    private Offload() {
    }

    /** Runs {@code work} on {@code executor}; the result is emitted on the subscriber's Vert.x context. */
    public static <T> Uni<T> run(Executor executor, Callable<T> work) {
        return onCallerContext(Uni.createFrom().item(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e); // unwrapped by ProblemMapper and JobFailures
            }
        }).runSubscriptionOn(executor));
    }

    /**
     * Emits the item or failure of {@code uni} on the Vert.x context of its subscriber (when it has
     * one), whatever thread produces it: a worker, or the load of another caller that this one shares.
     */
    public static <T> Uni<T> onCallerContext(Uni<T> uni) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
        });
    }

    /** Runs short blocking I/O (files, parsing) on Quarkus' bounded default worker pool. */
    public static <T> Uni<T> io(Callable<T> work) {
        return run(Infrastructure.getDefaultWorkerPool(), work);
    }
}
