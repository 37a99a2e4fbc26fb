package dev.valence.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What an {@code app} migration declares about itself in its {@code control.schema_contract} row:
 * {@code expand} (older code keeps working) or {@code contract} (code below {@code minCodeLevel} breaks).
 * Read from the file, so plan, migrate and compat-test know it before the migration runs; the layout is
 * the one {@code migrations/build-info.sh} enforces (the linter's VL001 checks it in full).
 */
public record Declaration(int version, String kind, int minCodeLevel, String description, String file) {
    private static final Pattern FILE = Pattern.compile("V(\\d+)__\\w+\\.sql");
    private static final Pattern VALUES = Pattern.compile(
            "INSERT INTO control\\.schema_contract\\s*\\([^)]*\\)\\s*VALUES\\s*\\((\\d+),\\s*'(expand|contract)',\\s*(\\d+),\\s*'((?:[^']|'')*)'",
            Pattern.CASE_INSENSITIVE);

    public boolean isContract() {
        return kind.equals("contract");
    }

    /** Whether code of {@code codeLevel} is below this migration's floor, so its guard must refuse the schema. */
    public boolean breaks(int codeLevel) {
        return isContract() && minCodeLevel > codeLevel;
    }

    /** "app v2 (drop items.legacy)" */
    public String label() {
        return "app v" + version + " (" + description + ")";
    }

    /** The declaration in one migration's SQL, or empty when it has none that can be read. */
    public static Optional<Declaration> in(String sql, int version, String file) {
        Matcher values = VALUES.matcher(sql);
        if (!values.find()) return Optional.empty();
        return Optional.of(new Declaration(version, values.group(2).toLowerCase(), Integer.parseInt(values.group(3)),
                values.group(4).replace("''", "'"), file));
    }

    /** The declarations of every {@code V<n>__*.sql} file in {@code appDir}, lowest version first. */
    public static List<Declaration> readAll(Path appDir) throws IOException {
        var found = new ArrayList<Declaration>();
        try (Stream<Path> files = Files.list(appDir)) {
            for (Path file : files.sorted().toList()) {
                Matcher name = FILE.matcher(file.getFileName().toString());
                if (!name.matches()) continue;
                int version = Integer.parseInt(name.group(1));
                String fileName = file.getFileName().toString();
                found.add(in(Files.readString(file), version, fileName)
                        .orElse(new Declaration(version, "undeclared", 0, "no schema_contract row", fileName)));
            }
        }
        found.sort(Comparator.comparingInt(Declaration::version));
        return found;
    }

    /** The highest version among {@code V<n>__*.sql} in {@code appDir}: a build's code level L; 0 if there are none. */
    public static int highestVersion(Path appDir) throws IOException {
        if (!Files.isDirectory(appDir)) return 0;
        try (Stream<Path> files = Files.list(appDir)) {
            return files.map(f -> FILE.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }
}
