package dev.valence.ops.lint;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migration file and what its place says about it: under an {@code app} directory it must declare
 * itself, under {@code control} it must only expand; {@code version} is -1 when the name has none.
 * {@code U<n>__<description>.sql} is the undo script of {@code V<n>__<description>.sql} ({@code ops migrate
 * --undo}); {@code undoOf} is its migration's version, -1 for every other file.
 */
record MigrationFile(Path path, String display, Place place, String name, int version, int undoOf) {
    private static final Pattern VERSIONED = Pattern.compile("^V([0-9]+)__.*\\.sql$");
    private static final Pattern UNDO = Pattern.compile("^U([0-9]+)__.*\\.sql$");

    enum Place { APP, CONTROL, OTHER }

    static MigrationFile of(Path path) {
        String parent = path.toAbsolutePath().getParent() == null ? "" : path.toAbsolutePath().getParent().getFileName().toString();
        Place place = switch (parent) {
            case "app" -> Place.APP;
            case "control" -> Place.CONTROL;
            default -> Place.OTHER;
        };
        String name = path.getFileName().toString();
        Matcher versioned = VERSIONED.matcher(name);
        int version = versioned.matches() ? parseVersion(versioned.group(1)) : -1;
        Matcher undo = UNDO.matcher(name);
        int undoOf = undo.matches() ? parseVersion(undo.group(1)) : -1;
        return new MigrationFile(path, path.toString(), place, name, version, undoOf);
    }

    private static int parseVersion(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException tooLong) {
            return -1;
        }
    }

    boolean isUndo() {
        return undoOf >= 0;
    }

    /** Where it sorts within its directory: callbacks first, then each migration followed by its undo script. */
    long order() {
        if (version >= 0) return version * 2L;
        return isUndo() ? undoOf * 2L + 1 : -1;
    }

    /** The migration an undo script belongs to, as it must be named beside it. */
    String migrationName() {
        return "V" + name.substring(1);
    }

    /** Versioned app migrations, as migrations/build-info.sh selects them ({@code V*__*.sql}). */
    boolean mustDeclare() {
        return place == Place.APP && name.startsWith("V") && name.contains("__") && name.endsWith(".sql");
    }

    /** The Flyway schema whose history records this file, or empty when its place names none. */
    String schema() {
        return switch (place) {
            case APP -> "app";
            case CONTROL -> "control";
            case OTHER -> "";
        };
    }
}
