package dev.valence.runtime.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's services in start order. {@link #start} starts each once the one before has started
 * and stops at the first that fails; {@link #stop} starts no more, lets the start under way finish,
 * then stops, in reverse, every service whose start was called, each within its own time limit, so
 * one that hangs cannot keep the process from ending.
 */
public final class Services {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    private final List<Service> order;
    private final List<CompletableFuture<Void>> started = new ArrayList<>();
    /** How many services have had start() called; guarded by this. */
    private int called;
    private boolean stopping;

    public Services(List<Service> order) {
        this.order = List.copyOf(order);
        for (int i = 0; i < order.size(); i++) started.add(new CompletableFuture<>());
    }

    /** Starts the services in order; the result completes when the last has started or fails with the first failure. */
    public CompletableFuture<Void> start() {
        startFrom(0);
        return started.getLast();
    }

    /** Completes once the named service has started (fails if it or one before it failed to). */
    public CompletableFuture<Void> started(String name) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).name().equals(name)) return started.get(i);
        }
        throw new IllegalArgumentException("No service named " + name + " in " + order.stream().map(Service::name).toList());
    }

    private void startFrom(int index) {
        if (index == order.size()) return;
        Service service = order.get(index);
        synchronized (this) {
            if (stopping) {
                for (int i = index; i < order.size(); i++) {
                    started.get(i).completeExceptionally(new IllegalStateException("Service " + order.get(i).name()
                            + " was not started: the runtime is stopping"));
                }
                return;
            }
            called = index + 1;
        }
        long startNs = System.nanoTime();
        CompletableFuture<Void> stage;
        try {
            stage = service.start().toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                // the services after it fail with the same cause, so whoever waits for one of them learns why
                for (int i = index; i < order.size(); i++) started.get(i).completeExceptionally(cause);
                return;
            }
            log.debug("Service {} started ({} ms)", service.name(), (System.nanoTime() - startNs) / 1_000_000);
            started.get(index).complete(null);
            startFrom(index + 1);
        });
    }

    /**
     * Stops, in reverse order, every service whose start was called; waits at most {@code eachLimit}
     * for each (a stop that takes longer is logged and left behind) and never throws. A stop that
     * comes while a service is starting (SIGTERM during start-up) starts none after it and first
     * waits, also at most {@code eachLimit}, for that start to end: stopping it halfway would leave
     * running whatever its start brings up after the stop has passed (a database server, a port).
     */
    public void stop(Duration eachLimit) {
        int count;
        synchronized (this) {
            stopping = true;
            count = called;
        }
        if (count > 0 && !awaitStart(count - 1, eachLimit)) return;
        for (int i = count - 1; i >= 0; i--) {
            Service service = order.get(i);
            try {
                service.stop().toCompletableFuture().get(eachLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("Service {} did not stop within {} ms; going on without it", service.name(), eachLimit.toMillis());
            } catch (ExecutionException | RuntimeException e) {
                log.warn("Service {} failed to stop cleanly: {}", service.name(), e.getCause() == null ? e.toString() : e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits for the start of the service at {@code index} to end, either way; false when interrupted. */
    private boolean awaitStart(int index, Duration limit) {
        CompletableFuture<Void> start = started.get(index);
        if (start.isDone()) return true;
        String name = order.get(index).name();
        log.info("Stopping while service {} starts: waiting for its start to end (at most {} ms), then stopping what started",
                name, limit.toMillis());
        try {
            start.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Service {} did not finish starting within {} ms; stopping it anyway", name, limit.toMillis());
        } catch (ExecutionException | CancellationException failedToStart) {
            // it is stopped below all the same: what it did start goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
