package dev.valence.runtime.lifecycle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One part of the runtime that starts and stops as a unit. {@link #start} is called once the service
 * before it in the list has started; {@link #stop} is called in reverse order, never for one whose start
 * was not called, and for the one starting when the stop came only once its start has ended (or has
 * overrun the stop's time limit): a start that could wait long (for a database that does not answer)
 * must notice the stop by itself and give up.
 */
public interface Service {
    String name();

    CompletionStage<Void> start();

    CompletionStage<Void> stop();

    /** Work that blocks (JDBC, the engine's warm-up, closing sockets): each call runs on its own platform thread. */
    interface Blocking {
        void run() throws Exception;
    }

    /** A service made of its name and two functions that begin its start and its stop. */
    record Of(String name, Supplier<CompletionStage<Void>> starting, Supplier<CompletionStage<Void>> stopping) implements Service {
        @Override
        public CompletionStage<Void> start() {
            return starting.get();
        }

        @Override
        public CompletionStage<Void> stop() {
            return stopping.get();
        }
    }

    /** A service whose start and stop block; each runs on a thread named after the service, so the list never waits on a caller's thread. */
    static Service blocking(String name, Blocking start, Blocking stop) {
        return new Of(name, () -> onThread("valence-start-" + name, start), () -> onThread("valence-stop-" + name, stop));
    }

    /**
     * Two services that start side by side (the engine's warm-up and the database's start are
     * independent and each takes seconds); the pair has started when both have, and stops both.
     */
    static Service together(String name, Service first, Service second) {
        return new Of(name,
                () -> CompletableFuture.allOf(first.start().toCompletableFuture(), second.start().toCompletableFuture()),
                () -> CompletableFuture.allOf(second.stop().toCompletableFuture(), first.stop().toCompletableFuture()));
    }

    private static CompletableFuture<Void> onThread(String threadName, Blocking work) {
        var done = new CompletableFuture<Void>();
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
