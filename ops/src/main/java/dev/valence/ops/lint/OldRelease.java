package dev.valence.ops.lint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --old-release REF}: the previous release's SQL, read from the git repository the migrations live in, as the files
 * were at REF (a tag, a branch, a commit), so an operator needs no separate file of queries. What counts:
 *
 * <ul>
 *   <li>its {@code .sql} files other than migrations (Flyway's {@code V}, {@code U} and {@code R} files and callbacks), read
 *       whole, as {@code --old-queries} reads a file;</li>
 *   <li>in its source files, every string literal that reads as SQL (a SELECT, INSERT, UPDATE, DELETE, WITH, COPY, MERGE or
 *       CALL: what the code sends), read as a statement; and every word of those files, so a column the code names in any
 *       way (an ORM field, a fragment glued onto a query) counts as used.</li>
 * </ul>
 *
 * Files under a {@code test} or {@code tests} directory are left out: tests' SQL is not what the release sends.
 */
final class OldRelease {
    private static final Set<String> SOURCE_EXTENSIONS = Set.of("java", "kt", "kts", "scala", "groovy", "js", "mjs", "cjs", "ts",
            "tsx", "jsx", "py", "rb", "go", "rs", "cs", "php", "ex", "exs", "clj", "sql", "xml", "yaml", "yml", "properties");
    private static final Pattern MIGRATION = Pattern.compile("([VUR][0-9._]*__.*|(before|after)[A-Za-z]*(__.*)?)\\.sql");
    private static final Pattern SQL_START = Pattern.compile("(?is)\\s*(select|insert|update|delete|with|copy|merge|call)\\b.*");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final long LARGEST_FILE_BYTES = 2_000_000;

    private OldRelease() {}

    /** Adds to {@code usage} what the release at {@code ref} of the repository holding {@code inRepository} sends. */
    static void read(Path inRepository, String ref, OldReleaseUsage usage) throws IOException {
        Path start = Files.isDirectory(inRepository) ? inRepository : inRepository.toAbsolutePath().getParent();
        String top = git(start, "rev-parse", "--show-toplevel").strip();
        String commit = git(Path.of(top), "rev-parse", "--verify", "--quiet", ref + "^{commit}").strip();
        List<String> paths = new ArrayList<>();
        for (String path : git(Path.of(top), "ls-tree", "-r", "-z", "--name-only", commit).split("\0")) {
            if (counts(path)) paths.add(path);
        }
        for (var file : contents(Path.of(top), commit, paths)) {
            if (file.path().endsWith(".sql")) addSql(file.text(), usage);
            else addSource(file.path(), file.text(), usage);
        }
    }

    private static boolean counts(String path) {
        if (path.isBlank()) return false;
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot < 0 || !SOURCE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) return false;
        for (String segment : path.split("/")) {
            if (segment.equals("test") || segment.equals("tests") || segment.equals("node_modules")) return false;
        }
        return !MIGRATION.matcher(name).matches();
    }

    private static void addSql(String text, OldReleaseUsage usage) {
        try {
            usage.add(text);
        } catch (SqlSyntaxException e) {
            // a file the lexer cannot split still names what its words name
            usage.addNames(words(text));
        }
    }

    private static void addSource(String path, String text, OldReleaseUsage usage) {
        usage.addNames(words(text));
        for (String literal : StringLiterals.of(path, text)) {
            if (!SQL_START.matcher(literal).matches()) continue;
            try {
                usage.add(literal);
            } catch (SqlSyntaxException e) {
                // a fragment (a query glued from pieces): its words already count
            }
        }
    }

    /** Every word, lower-cased, and camelCase ones also in snake_case, the way ORMs name columns after fields. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            String word = matcher.group();
            words.add(word.toLowerCase(Locale.ROOT));
            String snake = CAMEL_HUMP.matcher(word).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
            if (!snake.equals(word.toLowerCase(Locale.ROOT))) words.add(snake);
        }
        return words;
    }

    private record FileText(String path, String text) {}

    /** The files' contents at {@code commit}, through one {@code git cat-file --batch}. */
    private static List<FileText> contents(Path top, String commit, List<String> paths) throws IOException {
        Path requests = Files.createTempFile("old-release", ".txt");
        try {
            var lines = new StringBuilder();
            for (String path : paths) lines.append(commit).append(':').append(path).append('\n');
            Files.writeString(requests, lines);
            Process process = new ProcessBuilder("git", "-C", top.toString(), "cat-file", "--batch")
                    .redirectInput(requests.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<FileText> files = new ArrayList<>();
            try (InputStream out = process.getInputStream()) {
                for (String path : paths) {
                    String header = readLine(out);
                    String[] parts = header.split(" ");
                    if (parts.length < 3 || !parts[1].equals("blob")) continue;
                    int size = Integer.parseInt(parts[2]);
                    byte[] body = out.readNBytes(size);
                    out.read();
                    if (size <= LARGEST_FILE_BYTES) files.add(new FileText(path, new String(body, StandardCharsets.UTF_8)));
                }
            }
            waitFor(process, "cat-file");
            return files;
        } finally {
            Files.deleteIfExists(requests);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) line.write(b);
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String git(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = waitFor(process, arguments[0]);
        if (exit != 0) {
            String what = arguments[0].equals("rev-parse") && arguments[1].equals("--show-toplevel")
                    ? directory + " is not inside a git repository (" + out.strip() + ")"
                    : arguments[0].equals("rev-parse") ? "'" + arguments[arguments.length - 1].replace("^{commit}", "") + "' is no commit of " + directory
                    : "git " + String.join(" ", arguments) + " failed: " + out.strip();
            throw new OldReleaseException(what, arguments[0].equals("rev-parse") && !arguments[1].equals("--show-toplevel"));
        }
        return out;
    }

    private static int waitFor(Process process, String what) throws IOException {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new OldReleaseException("git " + what + " took more than 60 s", false);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while git " + what + " ran", e);
        }
    }

    /** The release cannot be read: not a repository, no such revision, git missing or failing. */
    static final class OldReleaseException extends IOException {
        /** True when the repository is fine and the revision named is not one of its commits: the operator's typo. */
        final boolean badRevision;

        OldReleaseException(String message, boolean badRevision) {
            super(message);
            this.badRevision = badRevision;
        }
    }
}
