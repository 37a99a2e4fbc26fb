package dev.valence.foundation.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One holder at a time across every test JVM on this machine, for set-up that must not run twice at once:
 * apt-get (dpkg has one lock, and a second install fails on it rather than waiting), or filling a cache
 * folder that several test classes share. Surefire runs test classes in more than one JVM, so a
 * {@code synchronized} method is not enough. The lock is a file in the temporary folder, locked with the
 * operating system's advisory lock, which it frees when the process holding it ends, however it ends.
 */
public final class MachineLock {
    private static final ConcurrentHashMap<String, ReentrantLock> inThisJvm = new ConcurrentHashMap<>();

    private MachineLock() {}

    /** Set-up work done under the lock. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Runs {@code work} while holding the lock called {@code name} (letters, digits and dashes), and returns its result. */
    public static <T> T holding(String name, Work<T> work) throws IOException, InterruptedException {
        if (!name.matches("[a-z0-9-]+")) throw new IllegalArgumentException("a lock name is letters, digits and dashes, got '" + name + "'");
        // the operating system's lock is per process: threads of one JVM queue here first
        ReentrantLock local = inThisJvm.computeIfAbsent(name, n -> new ReentrantLock());
        local.lock();
        try (var channel = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "valence-" + name + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var held = channel.lock()) {
            return work.run();
        } finally {
            local.unlock();
        }
    }
}
