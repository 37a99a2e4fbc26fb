package dev.valence.runtime.corpus;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus's expectations checked against real Deno, so that they are not only written by hand: every HTTP,
 * script and cron val that needs nothing Valence-only (std/blob, other vals, std/email) runs under Deno (an HTTP val
 * behind {@code Deno.serve}, a script with {@code deno run}, a cron val like a script called with
 * {@code {lastRunAt: null}}, as a first run is) and must give exactly the answer its header expects.
 */
class DenoAgreesTest {
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> PERMISSIONS = List.of("--quiet", "--no-prompt", "--allow-net", "--allow-env", "--allow-read");

    @TestFactory
    Stream<DynamicTest> every_http_script_and_cron_val_answers_under_deno_as_its_header_says() throws IOException {
        return CorpusTest.selected()
                .filter(v -> !v.kind().equals("email") && v.denoSkip() == null)
                .map(val -> DynamicTest.dynamicTest(val.id() + " under Deno " + Deno.VERSION, val.file().toUri(), () -> check(val)));
    }

    private void check(CorpusVal val) throws Exception {
        var env = new HashMap<String, String>();
        for (String e : val.env()) env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        if (val.calls().stream().anyMatch(c -> !c.envSet().isEmpty() || !c.envDelete().isEmpty())) {
            throw new IllegalStateException(val.file() + " changes environment variables between calls, which a Deno process does not see: mark it deno: skip");
        }
        var problems = new ArrayList<String>();
        if (val.kind().equals("http")) checkHttp(val, env, problems);
        else checkScript(val, env, problems);
        if (!problems.isEmpty()) fail(val.id() + " under Deno " + Deno.VERSION + " did not answer as its header expects:\n" + String.join("\n", problems));
    }

    private void checkHttp(CorpusVal val, Map<String, String> env, List<String> problems) throws Exception {
        var args = new ArrayList<>(PERMISSIONS);
        args.add(Deno.wrapper("serve.ts").toString());
        args.add(val.file().toAbsolutePath().toUri().toString());
        Process deno = Deno.startDeno(args, env);
        try {
            var in = new BufferedReader(new InputStreamReader(deno.getInputStream(), StandardCharsets.UTF_8));
            var output = new StringBuilder();
            int port = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("listening ")) return Integer.parseInt(line.substring(10).trim());
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    output.append(e);
                }
                throw new IllegalStateException("Deno did not start serving " + val.id() + ":\n" + output);
            }).get(30, TimeUnit.SECONDS);
            Thread.ofVirtual().start(() -> in.lines().forEach(l -> { })); // keep the pipe drained
            int n = 0;
            for (CorpusVal.Call call : val.calls()) {
                n++;
                int space = call.call().indexOf(' ');
                var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.call().substring(space + 1)))
                        .timeout(Duration.ofSeconds(20))
                        .method(call.call().substring(0, space), call.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(call.body()));
                for (String h : call.requestHeaders()) request.header(h.substring(0, h.indexOf(':')).trim(), h.substring(h.indexOf(':') + 1).trim());
                HttpResponse<String> reply = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                Expectations.http(call, reply.statusCode(), name -> reply.headers().firstValue(name).orElse(null), reply.body(),
                        "call " + n + " (" + call.call() + "): ", problems);
            }
        } finally {
            deno.destroy();
            if (!deno.waitFor(5, TimeUnit.SECONDS)) deno.destroyForcibly();
        }
    }

    private void checkScript(CorpusVal val, Map<String, String> env, List<String> problems) throws IOException {
        int n = 0;
        for (CorpusVal.Call expected : val.calls()) {
            n++;
            CorpusVal.Call call = expected.asConsoleOutput();
            String where = "call " + n + " (" + call.call() + "): ";
            if (!call.call().startsWith("run ")) throw new IllegalStateException(val.file() + ": a script or cron val is called with run {...}");
            var body = new io.vertx.core.json.JsonObject(call.call().substring(4).trim());
            var handlerArgs = val.kind().equals("cron")
                    ? new io.vertx.core.json.JsonArray().add(new io.vertx.core.json.JsonObject().putNull("lastRunAt"))
                    : body.getJsonArray("args", new io.vertx.core.json.JsonArray());
            var args = new ArrayList<>(PERMISSIONS);
            args.add(Deno.wrapper("script.ts").toString());
            String fileUrl = val.file().toAbsolutePath().toUri().toString();
            args.add(fileUrl);
            args.add(handlerArgs.encode());
            args.add(val.kind());
            Deno.Output output = Deno.runDeno(args, env, 60);
            String text = output.text();
            int marker = text.lastIndexOf('\0');
            if (marker < 0) {
                problems.add(where + "Deno ended without a result (exit " + output.exitCode() + "):\n" + text);
                continue;
            }
            String logs = text.substring(0, marker).replaceFirst("\n$", "");
            String last = text.substring(marker + 1).trim();
            if (last.startsWith("result ")) {
                Expectations.run(call, "success", last.substring(7), logs, null, null, where, problems);
            } else {
                var error = new io.vertx.core.json.JsonObject(last.substring(6));
                Expectations.run(call, "error", "null", logs, error.getString("message"), error.getInteger("line"), where, problems);
            }
        }
    }
}
