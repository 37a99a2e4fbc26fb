package dev.valence.cli;

import static dev.valence.foundation.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.valence.runtime.TestPlatform;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a real runtime: sign in, create, pull, edit, push, watch, logs, env, run. */
class ValsCommandLineTest {
    static TestPlatform platform;

    @TempDir
    Path home;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start("cli_vals");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** What one command printed and its exit code. */
    record Result(int exitCode, String out, String err) {}

    /** One user's machine: a config folder and a working folder, and the command line run in-process on them. */
    final class Machine {
        final Map<String, String> env;
        final Path work;
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        Machine(String name) throws Exception {
            this.env = Map.of("XDG_CONFIG_HOME", Files.createDirectories(home.resolve(name).resolve("config")).toString());
            this.work = Files.createDirectories(home.resolve(name).resolve("work"));
        }

        Result runWithInput(String stdin, String... args) {
            var out = new StringWriter();
            var err = new StringWriter();
            var session = new Session(env, work, new BufferedReader(new StringReader(stdin)), new PrintWriter(out, true), new PrintWriter(err, true));
            int code = Vals.execute(session, args);
            return new Result(code, out.toString(), err.toString());
        }

        Result run(String... args) {
            return runWithInput("", args);
        }

        /** Starts a long-running command (watch, logs --follow) on a daemon thread writing to this machine's streams. */
        Thread background(String... args) {
            var session = new Session(env, work, new BufferedReader(new StringReader("")), new PrintWriter(out, true), new PrintWriter(err, true));
            var thread = new Thread(() -> Vals.execute(session, args), "vals " + args[0]);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        Machine signedIn() {
            var login = runWithInput(platform.adminToken + "\n", "login", "--url", platform.baseUrl);
            assertEquals(0, login.exitCode(), login.err());
            return this;
        }
    }

    private static JsonNode json(String text) throws Exception {
        return Api.JSON.readTree(text);
    }

    @Test
    void login_keeps_the_url_and_token_in_a_file_only_the_user_can_read() throws Exception {
        var machine = new Machine("login");
        var login = machine.runWithInput(platform.adminToken + "\n", "login", "--url", platform.baseUrl);
        Path file = Path.of(machine.env.get("XDG_CONFIG_HOME"), "valence", "credentials");
        assertEquals(new Result(0, "Signed in to " + platform.baseUrl + " as admin; the token is in " + file + " (readable only by you).\n", ""), login);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        var saved = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            saved.load(reader);
        }
        assertEquals(Map.of("url", platform.baseUrl, "user", "admin", "token", platform.adminToken), Map.copyOf((Map<?, ?>) saved));

        var wrong = machine.runWithInput("vl_not-a-token\n", "login", "--url", platform.baseUrl);
        assertEquals(1, wrong.exitCode());
        assertTrue(wrong.err().startsWith("valence vals: " + platform.baseUrl + " does not accept that token: "), wrong.err());
        saved.clear();
        try (var reader = Files.newBufferedReader(file)) {
            saved.load(reader);
        }
        assertEquals(platform.adminToken, saved.getProperty("token"), "a refused token does not replace the saved one");
    }

    @Test
    void new_pull_edit_push_and_the_val_answers_with_the_new_code() throws Exception {
        var machine = new Machine("roundtrip").signedIn();
        var created = machine.run("new", "greet", "--dir", "made");
        assertEquals(0, created.exitCode(), created.err());
        assertEquals("Created admin/greet (http, version 1), answering at " + platform.baseUrl + "/v/admin/greet; edit "
                + machine.work.resolve("made/greet.ts") + " and push it with 'valence vals push'.\n", created.out());
        assertEquals("{\"hello\":\"world\"}", platform.get("/v/admin/greet").body());

        var pulled = machine.run("pull", "greet");
        assertEquals(new Result(0, "Pulled admin/greet version 1 into " + machine.work.resolve("greet.ts") + ".\n", ""), pulled);
        Path file = machine.work.resolve("greet.ts");
        assertEquals(NewCommand.Type.http.template, Files.readString(file));
        JsonNode meta = json(Files.readString(machine.work.resolve(".valence/greet.json")));
        assertEquals("admin", meta.path("owner").asText());
        assertEquals("greet", meta.path("name").asText());
        assertEquals("http", meta.path("type").asText());
        assertEquals(1, meta.path("version").asInt());
        assertEquals("greet.ts", meta.path("file").asText());

        Files.writeString(file, "export default (req: Request) => new Response('edited on my machine');\n");
        var pushed = machine.run("push");
        assertEquals(new Result(0, "Pushed greet.ts as admin/greet version 2 (" + platform.baseUrl + "/v/admin/greet).\n", ""), pushed);
        var answer = platform.get("/v/admin/greet");
        assertEquals(200, answer.status());
        assertEquals("edited on my machine", answer.body());
        assertEquals(2, json(Files.readString(machine.work.resolve(".valence/greet.json"))).path("version").asInt());

        assertEquals(new Result(0, "Nothing to push: no file changed since the last pull or push.\n", ""), machine.run("push"));
        assertEquals(new Result(0, "greet.ts is up to date (version 2).\n", ""), machine.run("pull", "greet"));
    }

    @Test
    void a_type_and_schedule_edited_in_the_metadata_file_are_pushed_and_checked_by_the_server() throws Exception {
        var machine = new Machine("settings").signedIn();
        assertEquals(0, machine.run("new", "shape").exitCode());
        Path metaFile = machine.work.resolve(".valence/shape.json");
        JsonNode meta = json(Files.readString(metaFile));
        assertEquals("http", meta.path("syncedType").asText());
        assertFalse(meta.has("schedule"), "an HTTP val has no schedule: " + meta);

        editMeta(metaFile, Map.of("type", "cron"));
        var refused = machine.run("push");
        assertEquals(new Result(1, "shape.ts: admin/shape was not pushed: A cron val needs a 'schedule' (a cron expression such as"
                + " '*/5 * * * *', or an interval such as 'every 5m').\n", "valence vals: 1 val(s) were not pushed; see above.\n"), refused);

        editMeta(metaFile, Map.of("schedule", "every 1h"));
        assertEquals(new Result(0, "Pushed shape.ts as admin/shape version 2, now of type cron on schedule 'every 1h'.\n", ""), machine.run("push"));
        var onServer = platform.get("/api/v1/vals/admin/shape", platform.adminToken).json();
        assertEquals(List.of("cron", "every 1h", 2, NewCommand.Type.http.template),
                List.of(onServer.getString("type"), onServer.getString("schedule"), onServer.getInteger("version"), onServer.getString("code")));
        meta = json(Files.readString(metaFile));
        assertEquals(List.of("cron", "every 1h", "cron", "every 1h", 2), List.of(meta.path("type").asText(), meta.path("schedule").asText(),
                meta.path("syncedType").asText(), meta.path("syncedSchedule").asText(), meta.path("version").asInt()));
        assertEquals(new Result(0, "Nothing to push: no file changed since the last pull or push.\n", ""), machine.run("push"));

        editMeta(metaFile, Map.of("schedule", "*/30 * * * *"));
        assertEquals(new Result(0, "Pushed shape.ts as admin/shape version 3, now of type cron on schedule '*/30 * * * *'.\n", ""), machine.run("push"));
        assertEquals("*/30 * * * *", platform.get("/api/v1/vals/admin/shape", platform.adminToken).json().getString("schedule"));

        var http = (com.fasterxml.jackson.databind.node.ObjectNode) json(Files.readString(metaFile));
        http.put("type", "http").remove("schedule");
        Files.writeString(metaFile, Api.JSON.writeValueAsString(http));
        assertEquals(new Result(0, "Pushed shape.ts as admin/shape version 4, now of type http (" + platform.baseUrl + "/v/admin/shape).\n", ""),
                machine.run("push"));
        onServer = platform.get("/api/v1/vals/admin/shape", platform.adminToken).json();
        assertEquals("http", onServer.getString("type"));
        assertFalse(onServer.containsKey("schedule"), onServer.encode());
        assertEquals("{\"hello\":\"world\"}", platform.get("/v/admin/shape").body());
    }

    /** Sets fields of a val's metadata file, as an author does in an editor. */
    private static void editMeta(Path metaFile, Map<String, String> fields) throws Exception {
        var meta = (com.fasterxml.jackson.databind.node.ObjectNode) json(Files.readString(metaFile));
        fields.forEach(meta::put);
        Files.writeString(metaFile, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
    }

    @Test
    void a_push_over_a_version_someone_else_saved_is_refused_and_force_overwrites_it() throws Exception {
        var machine = new Machine("stale").signedIn();
        assertEquals(0, machine.run("new", "shared").exitCode());
        Files.writeString(machine.work.resolve("shared.ts"), "export default () => new Response('mine');\n");

        var theirs = platform.put("/api/v1/vals/admin/shared", platform.adminToken,
                new JsonObject().put("code", "export default () => new Response('theirs')").encode());
        assertEquals(200, theirs.status());

        var refused = machine.run("push");
        assertEquals(1, refused.exitCode());
        assertEquals("shared.ts was not pushed: admin/shared is at version 2 on the server, newer than version 1 you edited, so someone"
                + " saved it since. Nothing was overwritten. Keep their change with 'valence vals pull shared --force' (replacing your"
                + " edits), or overwrite it with 'valence vals push shared --force'.\n", refused.out());
        assertEquals("valence vals: 1 val(s) were not pushed; see above.\n", refused.err());
        assertEquals("theirs", platform.get("/v/admin/shared").body());
        assertEquals(2, platform.get("/api/v1/vals/admin/shared/versions", platform.adminToken).json().getJsonArray("data").size());

        var kept = machine.run("pull", "shared");
        assertEquals(1, kept.exitCode(), "pull leaves unpushed edits alone");
        assertEquals("export default () => new Response('mine');\n", Files.readString(machine.work.resolve("shared.ts")));

        var forced = machine.run("push", "shared", "--force");
        assertEquals(new Result(0, "Pushed shared.ts as admin/shared version 3 (" + platform.baseUrl + "/v/admin/shared).\n", ""), forced);
        assertEquals("mine", platform.get("/v/admin/shared").body());
    }

    @Test
    void pull_without_a_val_brings_all_of_the_users_vals_with_progress_and_force_replaces_local_edits() throws Exception {
        String token = platform.createUser("puller");
        platform.createVal(token, "one", "export default () => new Response('1')");
        platform.createVal(token, new JsonObject().put("name", "two").put("type", "script").put("code", "export default () => 2"));
        var machine = new Machine("pullall");
        assertEquals(0, machine.runWithInput(token + "\n", "login", "--url", platform.baseUrl).exitCode());

        var pulled = machine.run("pull", "--dir", "all");
        Path dir = machine.work.resolve("all");
        assertEquals(new Result(0, "[1/2] Pulled puller/one version 1 into " + dir.resolve("one.ts") + ".\n"
                + "[2/2] Pulled puller/two version 1 into " + dir.resolve("two.ts") + ".\n"
                + "Pulled 2 of 2 vals into " + dir + " (0 up to date, 0 with local edits).\n", ""), pulled);
        assertEquals("script", json(Files.readString(dir.resolve(".valence/two.json"))).path("type").asText());

        Files.writeString(dir.resolve("one.ts"), "local edit");
        var kept = machine.run("pull", "--dir", "all");
        assertEquals(1, kept.exitCode());
        assertEquals("[1/2] one.ts has edits you have not pushed, so it was left alone (the server has version 1). Push them with"
                + " 'valence vals push', or replace them with 'valence vals pull one --force'.\n"
                + "[2/2] two.ts is up to date (version 1).\n"
                + "Pulled 0 of 2 vals into " + dir + " (1 up to date, 1 with local edits).\n", kept.out());
        assertEquals("valence vals: 1 val(s) kept their local edits; see above.\n", kept.err());
        assertEquals("local edit", Files.readString(dir.resolve("one.ts")));

        assertEquals(0, machine.run("pull", "one", "--force", "--dir", "all").exitCode());
        assertEquals("export default () => new Response('1')", Files.readString(dir.resolve("one.ts")));
    }

    @Test
    void a_push_with_a_syntax_error_names_the_file_line_and_column() throws Exception {
        var machine = new Machine("syntax").signedIn();
        assertEquals(0, machine.run("new", "broken").exitCode());
        Files.writeString(machine.work.resolve("broken.ts"), "export default () => {\n  return new Response('x';\n}\n");
        var refused = machine.run("push");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.out().startsWith("broken.ts:2:"), refused.out());
        assertTrue(refused.out().contains(": admin/broken was not pushed: Syntax error at line 2"), refused.out());
        assertEquals(1, platform.get("/api/v1/vals/admin/broken", platform.adminToken).json().getInteger("version"));
    }

    @Test
    void watch_pushes_a_saved_file_within_two_seconds() throws Exception {
        var machine = new Machine("watch").signedIn();
        assertEquals(0, machine.run("new", "watched").exitCode());
        Thread watch = machine.background("watch", "--debounce-ms", "200");
        try {
            eventually("watch started", 10_000, () -> machine.out.toString().contains("Watching "));
            long savedAt = System.nanoTime();
            Files.writeString(machine.work.resolve("watched.ts"), "export default () => new Response('saved while watching');\n");
            eventually("the edit was pushed", 2_000, () -> platform.get("/v/admin/watched").body().equals("saved while watching"));
            long tookMs = (System.nanoTime() - savedAt) / 1_000_000;
            System.out.println("watch: an edit answered after " + tookMs + " ms");
            eventually("watch reported the push", 2_000, () -> machine.out.toString()
                    .contains("Pushed watched.ts as admin/watched version 2 (" + platform.baseUrl + "/v/admin/watched).\n"));
        } finally {
            watch.interrupt();
            watch.join(5_000);
        }
        assertFalse(watch.isAlive(), "watch stops when interrupted");
    }

    @Test
    void logs_follow_prints_a_line_a_request_produced_and_logs_lists_runs_as_json() throws Exception {
        var machine = new Machine("logs").signedIn();
        platform.createVal(platform.adminToken, "chatty",
                "export default (req) => { console.log('seen', new URL(req.url).searchParams.get('who')); return new Response('ok'); }");
        Thread follow = machine.background("logs", "chatty", "--follow");
        eventually("the tail is connected", 10_000, () -> machine.err.toString().contains("Following admin/chatty's runs; Ctrl-C stops."));
        assertEquals("ok", platform.get("/v/admin/chatty?who=follower").body());
        eventually("the request's log line is printed", 10_000, () -> machine.out.toString().contains("\n  [log] seen follower\n"));
        assertTrue(follow.isAlive(), "follow keeps following");
        assertTrue(machine.out.toString().matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z  run \\d+  http success 200  [0-9.]+ ms  version 1\n  \\[log\\] seen follower\n"),
                machine.out.toString());

        var listed = machine.run("logs", "chatty", "--format", "json", "--limit", "1");
        assertEquals(0, listed.exitCode(), listed.err());
        JsonNode runs = json(listed.out());
        assertEquals(1, runs.size());
        assertEquals("http", runs.get(0).path("trigger").asText());
        assertEquals("success", runs.get(0).path("outcome").asText());
        assertEquals("[log] seen follower", runs.get(0).path("logs").asText());
    }

    @Test
    void env_set_list_and_unset_round_trip() throws Exception {
        var machine = new Machine("env").signedIn();
        assertEquals(new Result(0, "Set CLI_KEY (6 characters); your vals read it as Deno.env.get(\"CLI_KEY\").\n", ""),
                machine.run("env", "set", "CLI_KEY", "s3cret"));
        assertEquals(0, machine.runWithInput("from stdin\n", "env", "set", "CLI_PIPED").exitCode());

        JsonNode keys = json(machine.run("env", "list", "--format", "json").out());
        var names = new java.util.ArrayList<String>();
        keys.forEach(k -> names.add(k.path("key").asText()));
        assertTrue(names.containsAll(java.util.List.of("CLI_KEY", "CLI_PIPED")), names.toString());
        assertFalse(machine.run("env", "list").out().contains("s3cret"), "values are never listed");

        platform.createVal(platform.adminToken, "reads-env", "export default () => new Response(Deno.env.get('CLI_PIPED'))");
        assertEquals("from stdin", platform.get("/v/admin/reads-env").body());

        assertEquals(new Result(0, "Removed CLI_KEY.\n", ""), machine.run("env", "unset", "CLI_KEY"));
        assertFalse(machine.run("env", "list").out().contains("CLI_KEY"));
        assertEquals(new Result(1, "", "valence vals: You have no environment variable named CLI_KEY.\n"), machine.run("env", "unset", "CLI_KEY"));
    }

    @Test
    void run_prints_a_script_vals_result_and_its_logs() throws Exception {
        var machine = new Machine("run").signedIn();
        assertEquals(0, machine.run("new", "adder", "--type", "script").exitCode());
        var ran = machine.run("run", "adder", "2", "40");
        assertEquals(new Result(0, "{\n  \"sum\" : 42\n}\n", "[log] adding 2 40\n"), ran);

        JsonNode answer = json(machine.run("run", "adder", "1", "2", "--format", "json").out());
        assertEquals("success", answer.path("outcome").asText());
        assertEquals(3, answer.path("result").path("sum").asInt());
        assertEquals("[log] adding 1 2", answer.path("logs").asText());

        platform.put("/api/v1/vals/admin/adder", platform.adminToken, new JsonObject().put("code", "export default () => { throw new Error('no sums today'); }").encode());
        var failed = machine.run("run", "adder");
        assertEquals(1, failed.exitCode());
        assertTrue(failed.err().startsWith("valence vals: admin/adder ended with error at line 1: "), failed.err());
        assertTrue(failed.err().contains("no sums today"), failed.err());
    }

    @Test
    void list_and_open_print_for_people_and_as_json() throws Exception {
        var machine = new Machine("list").signedIn();
        assertEquals(0, machine.run("new", "listed").exitCode());
        assertEquals(0, machine.run("new", "ticker", "--type", "cron", "--schedule", "every 5m").exitCode());
        JsonNode vals = json(machine.run("list", "--format", "json").out());
        JsonNode listed = null;
        for (JsonNode val : vals) if (val.path("name").asText().equals("listed")) listed = val;
        assertEquals("http", listed.path("type").asText());
        assertEquals(platform.baseUrl + "/v/admin/listed", listed.path("url").asText());
        var text = machine.run("list").out();
        assertTrue(text.startsWith("NAME "), text);
        assertTrue(text.contains("\nticker "), text);

        assertEquals(new Result(0, platform.baseUrl + "/v/admin/listed\n", ""), machine.run("open", "listed"));
        assertEquals(new Result(0, platform.baseUrl + "/api/v1/vals/admin/ticker\n", ""), machine.run("open", "admin/ticker"));
        assertEquals("every 5m", platform.get("/api/v1/vals/admin/ticker", platform.adminToken).json().getString("schedule"));
    }

    @Test
    void failures_are_sentences_with_the_exit_codes_of_ops() throws Exception {
        var machine = new Machine("failures");
        Path file = Path.of(machine.env.get("XDG_CONFIG_HOME"), "valence", "credentials");
        assertEquals(new Result(3, "", "valence vals: You are not signed in: " + file + " does not exist. Run 'valence vals login' with an"
                + " API token (the admin's is in ~/.valence/bootstrap-token), or set VALENCE_TOKEN.\n"), machine.run("list"));

        var refused = machine.runWithInput("vl_x\n", "login", "--url", "http://127.0.0.1:1");
        assertEquals(new Result(3, "", "valence vals: The Valence server at http://127.0.0.1:1 refused the connection. Is it running?"
                + " Start it with './valence run', or sign in to another with 'valence vals login --url URL'.\n"), refused);

        machine.signedIn();
        assertEquals(new Result(1, "", "valence vals: No val named admin/nothing-here.\n"), machine.run("pull", "nothing-here"));
        var usage = machine.run("new");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().startsWith("Missing required parameter: 'NAME'"), usage.err());
        assertEquals(2, machine.run("new", "x", "--type", "lambda").exitCode());
        assertEquals(2, machine.run("list", "--format", "yaml").exitCode());
    }

    @Test
    void every_command_has_help() {
        var machine = new Vals(null);
        var commandLine = new picocli.CommandLine(machine);
        for (String name : java.util.List.of("login", "list", "new", "pull", "push", "watch", "logs", "run", "env", "open")) {
            var sub = commandLine.getSubcommands().get(name);
            assertTrue(sub.getUsageMessage().startsWith("Usage: valence vals " + name), name);
        }
        for (String name : java.util.List.of("set", "unset", "list")) {
            assertTrue(commandLine.getSubcommands().get("env").getSubcommands().get(name).getUsageMessage().startsWith("Usage: valence vals env " + name));
        }
    }
}
