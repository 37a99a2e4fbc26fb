package dev.valence.ops.lintreplay;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tallies {@code ops lint}'s findings against the replayed verdicts: per category, how many of the cases
 * PostgreSQL showed to be breaking (or locking) the linter flagged, and how many safe cases it flagged.
 */
final class LintComparison {
    private final List<String> misses = new ArrayList<>();
    private final List<String> falsePositives = new ArrayList<>();
    private int breaking, breakingFlagged, breakingAsBreaking;
    private int locking, lockingFlagged, lockingAsLocking;
    private int unsafe, unsafeFlagged;
    private int safe, safeFlagged;
    /** Per corpus file: unsafe cases, of them flagged, safe cases, of them flagged. */
    private final Map<String, int[]> perFile = new TreeMap<>();
    private final List<String> details = new ArrayList<>();

    void add(ReplayCase c, Set<Category> replayed, List<LintBlackBox.Finding> findings) {
        add(c, replayed, findings, "");
    }

    /**
     * {@code evidence}: what PostgreSQL did in the replay; a miss or a false positive is written with it beside what
     * ops lint said (every finding, accepted notes too, which say why they were accepted).
     */
    void add(ReplayCase c, Set<Category> replayed, List<LintBlackBox.Finding> findings, String evidence) {
        var operations = findings.stream().filter(LintBlackBox.Finding::flags).toList();
        boolean flagged = !operations.isEmpty();
        var codes = new TreeSet<String>();
        operations.forEach(f -> codes.add(f.code()));
        int[] file = perFile.computeIfAbsent(c.file(), f -> new int[4]);
        int column = replayed.isEmpty() ? 2 : 0;
        file[column]++;
        file[column + 1] += flagged ? 1 : 0;
        details.add(String.format(Locale.ROOT, "  %-32s %-58s %-18s %s", c.file(), c.name(), Category.show(replayed), codes));
        if (replayed.contains(Category.BREAKING)) {
            breaking++;
            breakingFlagged += flagged ? 1 : 0;
            breakingAsBreaking += operations.stream().anyMatch(LintBlackBox.Finding::breaking) ? 1 : 0;
        }
        if (replayed.contains(Category.LOCKING)) {
            locking++;
            lockingFlagged += flagged ? 1 : 0;
            lockingAsLocking += operations.stream().anyMatch(LintBlackBox.Finding::locking) ? 1 : 0;
        }
        if (replayed.isEmpty()) {
            safe++;
            if (flagged) {
                safeFlagged++;
                falsePositives.add(c.file() + " " + c.name() + ": " + codes + said(findings, evidence));
            }
        } else {
            unsafe++;
            if (flagged) {
                unsafeFlagged++;
            } else {
                misses.add(c.file() + " " + c.name() + " (" + Category.show(replayed) + ")" + said(findings, evidence));
            }
        }
    }

    /** What ops lint said about the case and what PostgreSQL did, indented under its line; nothing without evidence. */
    private static String said(List<LintBlackBox.Finding> findings, String evidence) {
        if (evidence.isEmpty()) return "";
        var text = new StringBuilder();
        for (LintBlackBox.Finding f : findings) {
            if (f.aboutOperations()) text.append("\n      ops lint: ").append(f.code()).append(' ').append(f.severity()).append(": ").append(f.message());
        }
        if (findings.stream().noneMatch(LintBlackBox.Finding::aboutOperations)) text.append("\n      ops lint: nothing");
        return text.append("\n      PostgreSQL: ").append(evidence).toString();
    }

    /** Of the cases PostgreSQL showed breaking or locking, the share the linter flagged. */
    double recall() {
        return unsafe == 0 ? 1.0 : (double) unsafeFlagged / unsafe;
    }

    /** Of the cases PostgreSQL showed safe, the share the linter flagged. */
    double falsePositiveRate() {
        return safe == 0 ? 0.0 : (double) safeFlagged / safe;
    }

    private final String title;

    /** {@code title}: how ops lint was run, for the report. */
    LintComparison(String title) {
        this.title = title;
    }

    /** The totals per category, naming no case. */
    String summary() {
        var text = new StringBuilder(title + " (verdicts from PostgreSQL, findings VL1xx that are errors or warnings):\n");
        text.append(line("breaking", breakingFlagged, breaking, "flagged")).append(", ")
                .append(percent(breakingAsBreaking, breaking)).append(" with a finding marked breaking\n");
        text.append(line("locking", lockingFlagged, locking, "flagged")).append(", ")
                .append(percent(lockingAsLocking, locking)).append(" with a finding marked locking\n");
        text.append(line("breaking or locking", unsafeFlagged, unsafe, "flagged (recall)")).append('\n');
        text.append(line("safe", safeFlagged, safe, "flagged (false positives)")).append('\n');
        return text.toString();
    }

    String report() {
        var text = new StringBuilder(summary());
        text.append("per corpus file (breaking or locking flagged / total; safe flagged / total):\n");
        perFile.forEach((file, n) -> text.append(String.format(Locale.ROOT, "  %-32s %3d / %3d unsafe caught, %3d / %3d safe flagged%n",
                file, n[1], n[0], n[3], n[2])));
        text.append("missed (").append(misses.size()).append("):\n");
        misses.forEach(m -> text.append("  ").append(m).append('\n'));
        text.append("flagged although safe (").append(falsePositives.size()).append("):\n");
        falsePositives.forEach(f -> text.append("  ").append(f).append('\n'));
        return text.toString();
    }

    /** Every case: file, name, replayed verdict, the linter's codes. */
    String details() {
        return String.join("\n", details) + "\n";
    }

    private static String line(String category, int hit, int total, String what) {
        return String.format(Locale.ROOT, "  %-20s %3d of %3d %s = %s", category, hit, total, what, percent(hit, total));
    }

    private static String percent(int part, int total) {
        return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / total);
    }
}
