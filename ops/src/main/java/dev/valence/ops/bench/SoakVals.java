package dev.valence.ops.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;

/** The vals the soak calls, how it saves them, and what a right answer from each looks like. */
final class SoakVals {
    private SoakVals() {}

    static final String TRIVIAL = Handlers.TRIVIAL_VAL;

    /** Path routing, a JSON body parsed, a blob read, ~1 KB of JSON back. */
    static final String REALISTIC = "import { blob } from \"std/blob\";\n" + Handlers.REPLY + """
            export default async (req) => {
              const m = /^\\/items\\/(\\d+)$/.exec(new URL(req.url).pathname);
              if (req.method !== 'POST' || !m) return new Response('not found', { status: 404 });
              const input = await req.json();
              const catalog = await blob.getJSON('catalog');
              return Response.json({ ...reply(Number(m[1]), input), currency: catalog.currency });
            };
            """;

    /** Stores the JSON body under the key its path names (the soak cycles through a thousand keys). */
    static final String BLOB_WRITE = """
            import { blob } from "std/blob";
            export default async (req) => {
              const key = new URL(req.url).pathname.slice(1);
              if (req.method !== 'POST' || !key) return new Response('POST /KEY with a JSON body', { status: 400 });
              await blob.setJSON(key, await req.json());
              return new Response('stored ' + key);
            };
            """;

    static final String CRON_NAME = "soak-cron";

    /** Every minute, one log line. */
    static final String CRON = "export default (i) => console.log('tick after', i.lastRunAt)";

    /** Saves the vals, the catalog blob the realistic val reads, and the cron val; calls each HTTP val once through the proxy. */
    static void save(ApiClient api, ApiClient proxy) throws IOException, InterruptedException {
        api.create(SoakLoad.Kind.TRIVIAL.val, TRIVIAL);
        api.create(SoakLoad.Kind.REALISTIC.val, REALISTIC);
        api.create(SoakLoad.Kind.BLOB_WRITE.val, BLOB_WRITE);
        expect(proxy.post("/v/admin/" + SoakLoad.Kind.BLOB_WRITE.val + "/catalog", "{\"currency\":\"EUR\"}"), SoakLoad.Kind.BLOB_WRITE);
        expect(proxy.get("/v/admin/" + SoakLoad.Kind.TRIVIAL.val), SoakLoad.Kind.TRIVIAL);
        expect(proxy.post("/v/admin/" + SoakLoad.Kind.REALISTIC.val + "/items/7", Handlers.REALISTIC_BODY), SoakLoad.Kind.REALISTIC);
        api.createJson(new JsonObject().put("name", CRON_NAME).put("type", "cron").put("schedule", "* * * * *").put("code", CRON));
    }

    private static void expect(java.net.http.HttpResponse<String> response, SoakLoad.Kind kind) throws IOException {
        String problem = check(kind, response.statusCode(), response.body());
        if (problem != null) throw new IOException("The first call of " + kind.val + " through the proxy: " + problem);
    }

    /** Null when the answer is right, else what was wrong with it. */
    static String check(SoakLoad.Kind kind, int status, String body) {
        boolean right = status == 200 && switch (kind) {
            case TRIVIAL -> body.equals("hello");
            case REALISTIC -> body.startsWith("{\"ok\":true,") && body.endsWith(",\"currency\":\"EUR\"}");
            case BLOB_WRITE -> body.startsWith("stored ");
        };
        return right ? null : "answered " + status + ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }
}
