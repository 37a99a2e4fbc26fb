package dev.valence.ops.lintreplay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One migration case of the corpus: the schema before it (the base schema plus {@code before}), the case
 * migration itself, the previous release's extra queries ({@code old}, run with the shared ones), the
 * expected categories and the documented reason.
 *
 * <p>A corpus file holds several cases, each starting with {@code -- === name}, then {@code -- expect:} and
 * {@code -- why:} lines, then the sections {@code -- before:}, {@code -- case:} and {@code -- old:} (only
 * {@code case} is required).
 */
record ReplayCase(String name, String file, Set<Category> expected, String why, String before, String migration,
                  List<String> oldQueries) {

    static final String HEADER = "-- === ";

    boolean transactional() {
        return SqlScript.statements(migration).stream().noneMatch(ReplayCase::outsideTransaction);
    }

    /** Statements PostgreSQL refuses inside a transaction block, so Flyway runs their file without one. */
    static boolean outsideTransaction(String statement) {
        String text = SqlScript.withoutComments(statement).strip().toUpperCase(java.util.Locale.ROOT);
        return (text.matches("(?s).*\\bCONCURRENTLY\\b.*") && !text.startsWith("REFRESH"))
                || text.startsWith("VACUUM");
    }

    static List<ReplayCase> load(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            var cases = new ArrayList<ReplayCase>();
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                cases.addAll(parse(file.getFileName().toString(), Files.readString(file)));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ReplayCase> parse(String file, String text) {
        var cases = new ArrayList<ReplayCase>();
        String[] blocks = ("\n" + text).split("\n(?=" + HEADER + ")");
        for (String block : blocks) {
            if (block.startsWith(HEADER)) {
                cases.add(parseOne(file, block));
            }
        }
        return cases;
    }

    private static ReplayCase parseOne(String file, String block) {
        String[] lines = block.split("\n");
        String name = lines[0].substring(HEADER.length()).strip();
        String expect = null;
        var why = new StringBuilder();
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder section = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (section == null && line.startsWith("-- expect:")) {
                expect = line.substring("-- expect:".length()).strip();
            } else if (section == null && line.startsWith("-- why:")) {
                why.append(line.substring("-- why:".length()).strip());
            } else if (section == null && line.startsWith("--   ")) {
                why.append(' ').append(line.substring(2).strip());
            } else if (line.matches("-- (before|case|old):\\s*")) {
                section = new StringBuilder();
                sections.put(line.substring(3, line.indexOf(':')), section);
            } else if (section != null) {
                section.append(line).append('\n');
            }
        }
        if (expect == null || !sections.containsKey("case")) {
            throw new IllegalArgumentException(file + ": case " + name + " needs an '-- expect:' line and a '-- case:' section");
        }
        String old = sections.getOrDefault("old", new StringBuilder()).toString();
        return new ReplayCase(name, file, Category.parse(expect), why.toString(),
                sections.getOrDefault("before", new StringBuilder()).toString(), sections.get("case").toString(),
                SqlScript.statements(old));
    }
}
