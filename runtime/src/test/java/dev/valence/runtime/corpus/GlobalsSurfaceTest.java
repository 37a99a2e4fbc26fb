package dev.valence.runtime.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a val sees, diffed against what real Deno gives: the same script lists every global, its own properties and
 * its prototype's members in both, and every difference must be named in {@code deno/differences.tsv} with a
 * reason. The README's table of differences is that file, so it cannot drift from what the test enforces.
 */
class GlobalsSurfaceTest {
    static final Path SCRIPT = Path.of("src", "test", "resources", "deno", "globals.js");
    static final Path DIFFERENCES = Path.of("src", "test", "resources", "deno", "differences.tsv");
    static final Path README = Path.of("..", "README.md");
    static final String TABLE_START = "<!-- deno-differences: generated from runtime/src/test/resources/deno/differences.tsv -->";
    static final String TABLE_END = "<!-- /deno-differences -->";

    /** One allowed difference: {@code missing} (Deno has it, a val does not) or {@code extra}; names separated by spaces, * matching anything. */
    record Difference(String side, String patterns, String reason) {
        boolean covers(String side, String name) {
            if (!this.side.equals(side)) return false;
            for (String pattern : patterns.split(" ")) {
                String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
                if (name.matches(regex)) return true;
            }
            return false;
        }
    }

    static List<Difference> differences() throws IOException {
        var out = new ArrayList<Difference>();
        for (String line : Files.readAllLines(DIFFERENCES)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cols = line.split("\t");
            if (cols.length != 3 || !Set.of("missing", "extra").contains(cols[0])) {
                throw new IllegalStateException(DIFFERENCES + ": each line is side<TAB>pattern<TAB>reason with side missing or extra, not: " + line);
            }
            out.add(new Difference(cols[0], cols[1], cols[2]));
        }
        return out;
    }

    @Test
    void a_val_sees_every_global_and_member_deno_has_except_the_listed_differences() throws IOException {
        Set<String> deno = denoSurface();
        Set<String> val = valSurface();
        List<Difference> allowed = differences();
        var unexplained = new ArrayList<String>();
        var used = new TreeSet<String>();
        for (var side : List.of("missing", "extra")) {
            Set<String> names = new TreeSet<>(side.equals("missing") ? deno : val);
            names.removeAll(side.equals("missing") ? val : deno);
            for (String name : names) {
                var match = allowed.stream().filter(d -> d.covers(side, name)).findFirst();
                if (match.isPresent()) used.add(match.get().side() + " " + match.get().patterns());
                else unexplained.add(side + "\t" + name);
            }
        }
        var stale = allowed.stream().filter(d -> !used.contains(d.side() + " " + d.patterns()))
                .map(d -> d.side() + "\t" + d.patterns()).toList();
        if (!unexplained.isEmpty() || !stale.isEmpty()) {
            fail("the globals a val sees differ from Deno " + Deno.VERSION + "'s (" + deno.size() + " names there, " + val.size() + " in a val).\n"
                    + unexplained.size() + " differences that " + DIFFERENCES + " does not list (missing = Deno has it, a val does not):\n  "
                    + String.join("\n  ", unexplained)
                    + "\n" + stale.size() + " listed differences that no longer exist (remove them):\n  " + String.join("\n  ", stale));
        }
    }

    @Test
    void the_readme_table_of_differences_from_deno_is_the_committed_allow_list() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf(TABLE_START);
        int end = readme.indexOf(TABLE_END);
        assertTrue(start >= 0 && end > start, "README.md needs the table between " + TABLE_START + " and " + TABLE_END);
        String table = readme.substring(start + TABLE_START.length(), end).strip();
        assertEquals(renderTable(differences()), table, "regenerate the README table from " + DIFFERENCES);
    }

    static String renderTable(List<Difference> differences) {
        var rows = new ArrayList<String>();
        rows.add("| what | a val | why |");
        rows.add("|---|---|---|");
        for (Difference d : differences) {
            rows.add("| " + Arrays.stream(d.patterns().split(" ")).map(p -> "`" + p + "`").collect(Collectors.joining(", ")) + " | " + (d.side().equals("missing") ? "lacks it" : "also has it") + " | " + d.reason() + " |");
        }
        return String.join("\n", rows);
    }

    private static Set<String> denoSurface() throws IOException {
        var args = List.of("--quiet", "--no-prompt", "--allow-read", Deno.wrapper("script.ts").toString(), SCRIPT.toAbsolutePath().toUri().toString(), "[]");
        Deno.Output output = Deno.runDeno(args, java.util.Map.of(), 60);
        String text = output.text();
        int marker = text.lastIndexOf("\0result ");
        if (marker < 0) fail("the globals script failed under Deno:\n" + text);
        return toSet(new JsonArray(text.substring(marker + 8).trim()));
    }

    private static Set<String> valSurface() throws IOException {
        try (var platform = TestPlatform.start("globalssurface")) {
            platform.createVal(platform.adminToken, new JsonObject().put("name", "globals-surface").put("type", "script").put("code", Files.readString(SCRIPT)));
            var reply = platform.post("/api/v1/vals/admin/globals-surface/run", platform.adminToken, "{}");
            JsonObject run = reply.json();
            if (reply.status() != 200 || !"success".equals(run.getString("outcome"))) fail("the globals script failed in a val: " + reply.body());
            return toSet(run.getJsonArray("result"));
        }
    }

    private static Set<String> toSet(JsonArray names) {
        return names.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }
}
