package dev.valence.runtime.corpus;

import static org.junit.jupiter.api.Assertions.fail;

import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The acceptance corpus: vals written the way Val Town's docs write them, each saved through the API on a real
 * runtime, called as its header says, and checked for exactly the answer its header expects. Run one val with
 * {@code -Dcorpus.only=name}. The Deno half of the oracle is {@link DenoAgreesTest}.
 */
class CorpusTest {
    static final Path ROOT = Path.of("src", "test", "resources", "corpus");
    static final String OWNER = "corpus";
    static TestPlatform platform;
    static String token;
    static final Set<String> savedLibs = new HashSet<>();

    @BeforeAll
    static void start() {
        // vals may fetch other vals by their URL, which is on this machine
        platform = TestPlatform.start("corpus", Map.of("VAL_FETCH_ALLOW", "localhost,127.0.0.1"));
        token = platform.createUser(OWNER);
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    static Stream<CorpusVal> selected() throws IOException {
        String only = System.getProperty("corpus.only", "");
        return CorpusVal.readAll(ROOT).stream().filter(v -> only.isBlank() || List.of(only.split(",")).contains(v.name()));
    }

    @TestFactory
    Stream<DynamicTest> every_corpus_val_answers_exactly_as_its_header_says() throws IOException {
        return selected().map(val -> DynamicTest.dynamicTest(val.id() + " (" + val.follows() + ")", val.file().toUri(), () -> check(val)));
    }

    private void check(CorpusVal val) {
        var problems = new ArrayList<String>();
        val.env().forEach(CorpusTest::setEnv);
        if (!val.blobs().isEmpty()) setBlobs(val);
        for (String lib : val.uses()) saveLib(lib);
        save(val.name(), val.kind(), val.source(), val.schedule());
        int n = 0;
        for (CorpusVal.Call call : val.calls()) {
            n++;
            String where = "call " + n + " (" + call.call() + "): ";
            call.envSet().forEach(CorpusTest::setEnv);
            for (String key : call.envDelete()) {
                var reply = platform.delete("/api/v1/env/" + key, token);
                if (reply.status() / 100 != 2) fail("deleting env " + key + " failed: " + reply.status() + " " + reply.body());
            }
            if (call.isHttp()) checkHttp(val, call, where, problems);
            else checkRun(val, call, where, problems);
        }
        if (!problems.isEmpty()) fail(val.id() + " did not answer as expected:\n" + String.join("\n", problems));
    }

    private static void checkHttp(CorpusVal val, CorpusVal.Call call, String where, List<String> problems) {
        int space = call.call().indexOf(' ');
        var headers = new LinkedHashMap<String, String>();
        for (String h : call.requestHeaders()) headers.put(h.substring(0, h.indexOf(':')).trim(), h.substring(h.indexOf(':') + 1).trim());
        var reply = platform.send(call.call().substring(0, space), "/v/" + OWNER + "/" + val.name() + call.call().substring(space + 1), null,
                call.body() == null ? null : placeholders(call.body()), headers);
        Expectations.http(call, reply.status(), reply::header, reply.body(), where, problems);
    }

    private static void checkRun(CorpusVal val, CorpusVal.Call call, String where, List<String> problems) {
        String verb = call.call().substring(0, call.call().indexOf(' '));
        String arg = call.call().substring(verb.length() + 1).trim();
        TestPlatform.Reply reply = switch (verb) {
            case "run" -> platform.post("/api/v1/vals/" + OWNER + "/" + val.name() + "/run", token, placeholders(arg));
            case "email" -> platform.post("/api/v1/email/" + OWNER + "/" + val.name(), token, placeholders(arg));
            case "email-raw" -> platform.send("POST", "/api/v1/email/" + OWNER + "/" + val.name(), token,
                    read(val.file().resolveSibling(arg)).replace("\n", "\r\n"), Map.of("Content-Type", "message/rfc822"));
            default -> throw new IllegalStateException(val.file() + ": unknown call " + call.call());
        };
        int expectedStatus = call.status() == null ? 200 : call.status();
        if (reply.status() != expectedStatus) {
            problems.add(where + "status " + reply.status() + ", expected " + expectedStatus + ": " + reply.body());
            return;
        }
        if (reply.status() != 200) return;
        JsonObject run = reply.json();
        JsonObject error = run.getJsonObject("error");
        Expectations.run(call, run.getString("outcome"), Json.encode(run.getValue("result")), run.getString("logs"),
                error == null ? null : error.getString("message"), error == null ? null : error.getInteger("line"), where, problems);
    }

    private static void setEnv(String assignment) {
        int eq = assignment.indexOf('=');
        var reply = platform.put("/api/v1/env/" + assignment.substring(0, eq), token,
                new JsonObject().put("value", placeholders(assignment.substring(eq + 1))).encode());
        if (reply.status() / 100 != 2) fail("setting env " + assignment + " failed: " + reply.status() + " " + reply.body());
    }

    private static void setBlobs(CorpusVal val) {
        var code = new StringBuilder("import { blob } from \"https://esm.town/v/std/blob\";\n");
        val.blobs().forEach((key, json) -> code.append("await blob.setJSON(").append(Json.encode(key)).append(", ").append(json).append(");\n"));
        String name = val.name() + "-setup";
        save(name, "script", code.toString(), null);
        var reply = platform.post("/api/v1/vals/" + OWNER + "/" + name + "/run", token, "{}");
        if (reply.status() != 200 || !"success".equals(reply.json().getString("outcome"))) {
            fail("setting the blobs of " + val.id() + " failed: " + reply.status() + " " + reply.body());
        }
    }

    private static synchronized void saveLib(String lib) {
        if (!savedLibs.add(lib)) return;
        Path file = ROOT.resolve("lib").resolve(lib);
        String code = read(file);
        String kind = code.startsWith("// kind: http") ? "http" : "script";
        save(file.getFileName().toString().replaceFirst("\\.tsx?$", ""), kind, code, null);
    }

    private static void save(String name, String kind, String code, String schedule) {
        var body = new JsonObject().put("name", name).put("type", kind).put("code", code);
        if (schedule != null) body.put("schedule", schedule);
        var reply = platform.post("/api/v1/vals", token, body.encode());
        if (reply.status() != 201) fail("saving val " + name + " failed: " + reply.status() + " " + reply.body());
    }

    static String placeholders(String text) {
        return text.replace("{base}", platform.baseUrl).replace("{owner}", OWNER);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
