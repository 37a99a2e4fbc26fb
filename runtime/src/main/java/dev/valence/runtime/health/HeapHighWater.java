package dev.valence.runtime.health;

import dev.valence.runtime.engine.LoadGate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heap's high-water mark. GraalJS Community cannot measure the heap one context holds, so this
 * watches what the whole process keeps: the old generation's occupancy right after a collection
 * (what survived it), through the JVM's collection-usage threshold. When a collection ends above
 * {@code HEAP_HIGH_WATER_PCT} of the old generation's maximum, the warm val versions whose
 * invocations allocated the most are evicted, largest first, until what they allocated covers the
 * excess (a val that keeps memory in module state is a large allocator); and while the occupancy
 * after the last collection stays at or above the mark, new val loads are refused (see
 * {@link #refusal()}). Warm contexts keep serving.
 *
 * <p>With G1 the old generation's occupancy after a young collection still counts the garbage that
 * no mixed collection has reclaimed yet: a test JVM that had run many runtimes read 89% after a young
 * collection and 43% after a full one. So a crossing is confirmed by a full collection first
 * ({@code System.gc()}) and only then evicts and refuses. That cannot storm: a full collection
 * compacts the old generation, so the young collections after it read low again until memory really
 * fills; and one runs at a time (crossings that come while one runs are folded into it).
 */
public final class HeapHighWater implements LoadGate, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeapHighWater.class);
    /** The pool's threshold is one per JVM: it is the lowest mark of the instances alive in it (tests start several). */
    private static final Set<HeapHighWater> LIVE = ConcurrentHashMap.newKeySet();

    /** Evicts warm val versions when the mark is passed. */
    @FunctionalInterface
    public interface Evictor {
        /** Evicts the warm versions that allocated the most, largest first, until they account for {@code bytes}; returns their names. */
        List<String> evictLargestAllocators(long bytes);
    }

    /** How long the heap may stay above the mark without a collection before one is asked for. */
    static final java.time.Duration IDLE_COLLECTION = java.time.Duration.ofSeconds(5);

    private final int percent;
    private final Evictor evictor;
    private final MemoryPoolMXBean pool;
    private final long maxBytes;
    private final long markBytes;
    private final NotificationListener listener = (notification, handback) -> onNotification(notification);
    private final ScheduledExecutorService evictions = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("valence-heap-evictions").unstarted(r));
    private final AtomicBoolean evicting = new AtomicBoolean();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean wasHigh;
    /** Whether a full collection showed the old generation at or above the mark (cleared by any later collection below it). */
    private volatile boolean confirmed;
    private long collectionsAtLastLook = -1; // the eviction thread's own

    /** Watches the old generation with a mark at {@code percent} of its maximum; off (never refusing) when the JVM has no such pool. */
    public HeapHighWater(int percent, Evictor evictor) {
        this.percent = percent;
        this.evictor = evictor;
        this.pool = oldGeneration().orElse(null);
        long max = pool == null ? -1 : pool.getUsage().getMax();
        this.maxBytes = max > 0 ? max : Runtime.getRuntime().maxMemory();
        this.markBytes = maxBytes / 100 * percent;
        if (pool == null) {
            log.warn("The heap's high-water mark is off: this JVM's collector has no heap pool with a collection-usage threshold");
            return;
        }
        LIVE.add(this);
        applyThreshold(pool);
        evictions.scheduleWithFixedDelay(this::collectIfIdle, IDLE_COLLECTION.toMillis(), IDLE_COLLECTION.toMillis(), TimeUnit.MILLISECONDS);
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
    }

    /** The pool that holds what survives collections: the old (tenured) generation, else the largest heap pool with a threshold. */
    static Optional<MemoryPoolMXBean> oldGeneration() {
        List<MemoryPoolMXBean> candidates = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
        return candidates.stream().filter(p -> p.getName().matches("(?i).*(old|tenured).*")).findFirst()
                .or(() -> candidates.stream().max(Comparator.comparingLong(p -> p.getUsage().getMax())));
    }

    private static synchronized void applyThreshold(MemoryPoolMXBean pool) {
        pool.setCollectionUsageThreshold(LIVE.stream().mapToLong(h -> h.markBytes).min().orElse(0));
    }

    /** The old generation's occupancy after the last collection, in bytes (0 before the first or without a pool). */
    public long usedAfterCollectionBytes() {
        MemoryUsage usage = pool == null ? null : pool.getCollectionUsage();
        return usage == null ? 0 : usage.getUsed();
    }

    /** Whether a full collection confirmed the crossing and the last collection still left the old generation at or above the mark. */
    public boolean high() {
        boolean high = pool != null && confirmed && usedAfterCollectionBytes() >= markBytes;
        if (!high) confirmed = false; // the next crossing is confirmed afresh
        if (high != wasHigh) {
            wasHigh = high;
            if (high) log.warn("The heap is above its high-water mark of {}% (HEAP_HIGH_WATER_PCT): {}; new val loads are refused", percent, occupancy());
            else log.info("The heap is below its high-water mark of {}% again: {}; val loads resume", percent, occupancy());
        }
        return high;
    }

    @Override
    public Optional<String> refusal() {
        if (!high()) return Optional.empty();
        refused.incrementAndGet();
        return Optional.of("the runtime's memory is nearly full: " + occupancy() + ", above the high-water mark of " + percent
                + "% (HEAP_HIGH_WATER_PCT); vals are loaded again once it falls below the mark: try again in a few seconds");
    }

    private String occupancy() {
        long used = usedAfterCollectionBytes();
        return "the old generation holds " + used * 100 / maxBytes + "% of " + maxBytes / (1024 * 1024) + " MB after the last collection";
    }

    private void onNotification(javax.management.Notification notification) {
        if (!MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) return;
        var info = MemoryNotificationInfo.from((CompositeData) notification.getUserData());
        if (!info.getPoolName().equals(pool.getName())) return;
        long used = info.getUsage().getUsed();
        if (used < markBytes || !evicting.compareAndSet(false, true)) return; // another instance's lower mark, or already at it
        try {
            evictions.execute(() -> {
                try {
                    evict(used);
                } finally {
                    evicting.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            evicting.set(false);
        }
    }

    private void evict(long usedBytes) {
        if (!confirmed) {
            // a young collection's reading may be mostly garbage: a full collection says what really survives
            System.gc();
            usedBytes = usedAfterCollectionBytes();
            if (usedBytes < markBytes) return;
            confirmed = true;
        }
        if (!high()) return; // logs the crossing once; a later collection below the mark ends it
        List<String> names = evictor.evictLargestAllocators(usedBytes - markBytes);
        evicted.addAndGet(names.size());
        if (names.isEmpty()) return;
        log.warn("Heap above its high-water mark ({} MB after a collection, mark {} MB): evicted the warm contexts of {}",
                usedBytes / (1024 * 1024), markBytes / (1024 * 1024), String.join(", ", names));
    }

    /**
     * The occupancy is measured only by collections, and a runtime that refuses loads may allocate too
     * little to cause one: while above the mark with no collection in the last interval, one is asked
     * for, so loads resume once the evicted contexts' memory is free rather than whenever traffic returns.
     */
    private void collectIfIdle() {
        try {
            long collections = collections();
            if (collections == collectionsAtLastLook && high()) System.gc();
            collectionsAtLastLook = collections();
        } catch (RuntimeException e) {
            log.warn("Could not look at the heap's collections: {}", e.toString());
        }
    }

    /** Collections so far by the collectors that manage the watched pool. */
    private long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> java.util.Arrays.asList(gc.getMemoryPoolNames()).contains(pool.getName()))
                .mapToLong(gc -> Math.max(0, gc.getCollectionCount())).sum();
    }

    /** Publishes the old generation's occupancy, the mark, whether loads are refused, evictions and refusals. */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("valence.heap.old.used.after.gc", this, HeapHighWater::usedAfterCollectionBytes).baseUnit("bytes")
                .description("the old generation's occupancy after the last collection").register(registry);
        Gauge.builder("valence.heap.old.max", this, h -> h.maxBytes).baseUnit("bytes").register(registry);
        Gauge.builder("valence.heap.high.water", this, h -> h.markBytes).baseUnit("bytes")
                .description("HEAP_HIGH_WATER_PCT of the old generation's maximum").register(registry);
        Gauge.builder("valence.heap.above.high.water", this, h -> h.high() ? 1 : 0)
                .description("1 while new val loads are refused because the heap is above its high-water mark").register(registry);
        FunctionCounter.builder("valence.heap.evicted.versions", evicted, AtomicLong::get)
                .description("warm val versions evicted above the high-water mark").register(registry);
        FunctionCounter.builder("valence.heap.refused.loads", refused, AtomicLong::get)
                .description("val loads refused above the high-water mark").register(registry);
    }

    @Override
    public void close() {
        if (pool == null) return;
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
        } catch (ListenerNotFoundException ignored) {
            // not added
        }
        LIVE.remove(this);
        applyThreshold(pool);
        evictions.shutdownNow();
    }
}
