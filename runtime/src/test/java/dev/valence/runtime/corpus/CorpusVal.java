package dev.valence.runtime.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One val of the acceptance corpus, read from its file: the source and the header comment that says how
 * the val is set up, called and what must come back. The header is the file's leading {@code // key: value}
 * lines; a {@code call:} line starts a new call, and the lines after it belong to that call.
 *
 * <pre>
 * val:  kind (http|cron|script|email), follows (the doc page), env (KEY=value), blob (key = JSON),
 *       uses (a val of corpus/lib saved first), schedule (cron), deno (skip: reason)
 * call: call (GET /path | POST /path | run {json} | email {json} | email-raw file.eml), header, body,
 *       env-set (KEY=value) and env-delete (KEY) done just before the call
 *       status, expect-header, expect-body, outcome, result (JSON), log, error, error-line
 * </pre>
 *
 * Expected text may hold {@code <any>} (any characters) and {@code <num>} (a decimal number).
 */
public record CorpusVal(String kind, String name, Path file, String source, String follows, List<String> env,
                        Map<String, String> blobs, List<String> uses, String schedule, String denoSkip, List<Call> calls) {

    private static final Pattern HEADER_LINE = Pattern.compile("^//\\s*([a-z-]+):\\s?(.*)$");

    /** One call of the val and what it must answer; null fields are not checked. */
    public record Call(String call, List<String> envSet, List<String> envDelete, List<String> requestHeaders, String body,
                       Integer status, List<String> expectHeaders, String expectBody, String outcome, String result, String logs,
                       String error, Integer errorLine) {
        public boolean isHttp() {
            return call.matches("^[A-Z]+ /.*");
        }

        /** The expected logs as a plain console prints them: without the run record's {@code [level] } prefixes. */
        public Call asConsoleOutput() {
            String plain = logs == null ? null : logs.replaceAll("(?m)^\\[(log|info|warn|error|debug)\\] ?", "");
            return new Call(call, envSet, envDelete, requestHeaders, body, status, expectHeaders, expectBody, outcome, result, plain, error, errorLine);
        }
    }

    public String id() {
        return kind + "/" + name;
    }

    public static List<CorpusVal> readAll(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().matches(".*\\.tsx?$"))
                    .filter(f -> !root.relativize(f).startsWith("lib"))
                    .sorted()
                    .map(CorpusVal::read)
                    .toList();
        }
    }

    public static CorpusVal read(Path file) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read corpus val " + file, e);
        }
        String name = file.getFileName().toString().replaceFirst("\\.tsx?$", "");
        var val = new LinkedHashMap<String, List<String>>();
        var calls = new ArrayList<Map<String, List<String>>>();
        for (String line : source.split("\n", -1)) {
            if (line.startsWith("/**") || line.isBlank()) break; // a JSX pragma or the first blank line ends the header
            Matcher m = HEADER_LINE.matcher(line);
            if (!m.matches()) break;
            String key = m.group(1);
            String value = m.group(2);
            if (key.equals("call")) calls.add(new LinkedHashMap<>());
            var target = calls.isEmpty() || isValKey(key) ? val : calls.getLast();
            target.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        String kind = one(val, "kind");
        if (kind == null || calls.isEmpty()) throw new IllegalStateException(file + ": the header needs a kind and at least one call");
        var blobs = new LinkedHashMap<String, String>();
        for (String b : val.getOrDefault("blob", List.of())) {
            int eq = b.indexOf(" = ");
            blobs.put(b.substring(0, eq), b.substring(eq + 3));
        }
        String deno = one(val, "deno");
        return new CorpusVal(kind, name, file, source, one(val, "follows"), val.getOrDefault("env", List.of()), blobs,
                val.getOrDefault("uses", List.of()), one(val, "schedule"),
                deno != null && deno.startsWith("skip") ? deno : null,
                calls.stream().map(CorpusVal::call).toList());
    }

    private static boolean isValKey(String key) {
        return List.of("kind", "follows", "env", "blob", "uses", "schedule", "deno").contains(key);
    }

    private static Call call(Map<String, List<String>> c) {
        String status = one(c, "status");
        String errorLine = one(c, "error-line");
        return new Call(one(c, "call"), c.getOrDefault("env-set", List.of()), c.getOrDefault("env-delete", List.of()),
                c.getOrDefault("header", List.of()), joined(c, "body"),
                status == null ? null : Integer.valueOf(status), c.getOrDefault("expect-header", List.of()),
                joined(c, "expect-body"), one(c, "outcome"), one(c, "result"), joined(c, "log"), one(c, "error"),
                errorLine == null ? null : Integer.valueOf(errorLine));
    }

    private static String one(Map<String, List<String>> map, String key) {
        List<String> values = map.get(key);
        return values == null ? null : values.getLast();
    }

    private static String joined(Map<String, List<String>> map, String key) {
        List<String> values = map.get(key);
        return values == null ? null : String.join("\n", values);
    }

    /** Whether actual text matches expected text with its {@code <any>} and {@code <num>} holes. */
    public static boolean matches(String expected, String actual) {
        if (actual == null) return false;
        var regex = new StringBuilder();
        Matcher hole = Pattern.compile("<any>|<num>").matcher(expected);
        int at = 0;
        while (hole.find()) {
            regex.append(Pattern.quote(expected.substring(at, hole.start())));
            regex.append(hole.group().equals("<any>") ? "[\\s\\S]*?" : "-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?");
            at = hole.end();
        }
        regex.append(Pattern.quote(expected.substring(at)));
        return Pattern.compile(regex.toString()).matcher(actual).matches();
    }
}
