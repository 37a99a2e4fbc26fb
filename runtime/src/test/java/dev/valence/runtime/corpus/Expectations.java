package dev.valence.runtime.corpus;

import io.vertx.core.json.Json;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Compares what a val answered (on Valence or under Deno) with what its header expects, one sentence per difference. */
final class Expectations {
    private Expectations() {
    }

    static void http(CorpusVal.Call call, int status, Function<String, String> header, String body, String where, List<String> problems) {
        if (call.status() != null && call.status() != status) {
            problems.add(where + "status " + status + ", expected " + call.status() + "; body: " + shorten(body));
            return; // the headers and body of a wrong answer say nothing more
        }
        for (String h : call.expectHeaders()) {
            String name = h.substring(0, h.indexOf(':')).trim();
            String expected = h.substring(h.indexOf(':') + 1).trim();
            String actual = header.apply(name);
            boolean absentExpected = expected.equals("<absent>");
            if (absentExpected ? actual != null : !CorpusVal.matches(expected, actual)) {
                problems.add(where + "header " + name + " was " + (actual == null ? "absent" : "\"" + actual + "\"") + ", expected \"" + expected + "\"");
            }
        }
        if (call.expectBody() != null && !CorpusVal.matches(call.expectBody(), body)) {
            problems.add(where + "body was\n  " + shorten(body) + "\nexpected\n  " + call.expectBody());
        }
    }

    static void run(CorpusVal.Call call, String outcome, String resultJson, String logs, String errorMessage, Integer errorLine,
                    String where, List<String> problems) {
        if (call.outcome() != null && !call.outcome().equals(outcome)) {
            problems.add(where + "outcome " + outcome + ", expected " + call.outcome() + (errorMessage == null ? "" : " (error: " + errorMessage + ")"));
        }
        if (call.result() != null && !Objects.equals(Json.decodeValue(call.result()), resultJson == null ? null : Json.decodeValue(resultJson))) {
            problems.add(where + "result " + resultJson + ", expected " + call.result());
        }
        if (call.logs() != null && !CorpusVal.matches(call.logs(), logs == null ? "" : logs)) {
            problems.add(where + "logs were\n  " + String.valueOf(logs).replace("\n", "\n  ") + "\nexpected\n  " + call.logs().replace("\n", "\n  "));
        }
        if (call.error() != null && !CorpusVal.matches(call.error(), errorMessage)) {
            problems.add(where + "error " + errorMessage + ", expected " + call.error());
        }
        if (call.errorLine() != null && !call.errorLine().equals(errorLine)) {
            problems.add(where + "error line " + errorLine + ", expected " + call.errorLine());
        }
    }

    private static String shorten(String text) {
        return text == null || text.length() < 600 ? text : text.substring(0, 600) + "…";
    }
}
