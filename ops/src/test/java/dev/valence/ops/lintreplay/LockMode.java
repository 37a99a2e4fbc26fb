package dev.valence.ops.lintreplay;

/**
 * PostgreSQL's table-level lock modes in the order of the documentation's conflict table ("Explicit
 * Locking", table 13.2): each mode conflicts with at least the modes the weaker ones conflict with.
 */
enum LockMode {
    NONE,
    ACCESS_SHARE,
    ROW_SHARE,
    ROW_EXCLUSIVE,
    SHARE_UPDATE_EXCLUSIVE,
    SHARE,
    SHARE_ROW_EXCLUSIVE,
    EXCLUSIVE,
    ACCESS_EXCLUSIVE;

    /** {@code pg_locks.mode}, e.g. {@code ShareRowExclusiveLock}. */
    static LockMode of(String pgLocksMode) {
        return switch (pgLocksMode) {
            case "AccessShareLock" -> ACCESS_SHARE;
            case "RowShareLock" -> ROW_SHARE;
            case "RowExclusiveLock" -> ROW_EXCLUSIVE;
            case "ShareUpdateExclusiveLock" -> SHARE_UPDATE_EXCLUSIVE;
            case "ShareLock" -> SHARE;
            case "ShareRowExclusiveLock" -> SHARE_ROW_EXCLUSIVE;
            case "ExclusiveLock" -> EXCLUSIVE;
            case "AccessExclusiveLock" -> ACCESS_EXCLUSIVE;
            default -> throw new IllegalArgumentException("unknown pg_locks mode " + pgLocksMode);
        };
    }

    /** Conflicts with ROW EXCLUSIVE, the lock every INSERT, UPDATE and DELETE of the previous release takes. */
    boolean blocksWrites() {
        return compareTo(SHARE) >= 0;
    }

    /** Conflicts with ACCESS SHARE, the lock every SELECT takes. */
    boolean blocksReads() {
        return this == ACCESS_EXCLUSIVE;
    }

    LockMode max(LockMode other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
