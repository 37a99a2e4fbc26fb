package dev.valence.ops.lintreplay;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a migration does to the release already running. A case is {@code safe} when it is neither
 * breaking nor locking; it may be both.
 */
enum Category {
    /** A query of the previous release fails, or answers differently, after the migration. */
    BREAKING,
    /**
     * On a table of more than {@link Replayer#MASS_ROW_CHANGE} rows, a statement worked through the rows (rewrote
     * the table, rebuilt an index, read or changed more than that many rows) while the migration held a lock
     * that stops the previous release's writes; or it updated or deleted more than that many rows, each locked
     * against the previous release's writes until the commit.
     */
    LOCKING;

    static Set<Category> parse(String list) {
        var set = EnumSet.noneOf(Category.class);
        for (String word : list.split("[,\\s]+")) {
            switch (word.strip().toLowerCase(Locale.ROOT)) {
                case "safe", "" -> { }
                case "breaking" -> set.add(BREAKING);
                case "locking" -> set.add(LOCKING);
                default -> throw new IllegalArgumentException("expect: '" + word + "' is not safe, breaking or locking");
            }
        }
        return set;
    }

    static String show(Set<Category> set) {
        return set.isEmpty() ? "safe" : String.join(", ", set.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }
}
