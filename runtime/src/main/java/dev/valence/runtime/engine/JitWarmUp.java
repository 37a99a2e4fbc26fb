package dev.valence.runtime.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the JIT on a background thread: runs a few typical handlers (a string answer, a JSON body in
 * and out, a parsed URL) {@code calls} times in total through contexts of its own, the same entry
 * points the runner uses, so the prelude's hot paths (Request, Headers, Response, the wire
 * conversion, the host-to-guest call) reach the optimizing tier before real traffic pays for it.
 * The thread holds no JS worker.
 */
final class JitWarmUp {
    private static final Logger log = LoggerFactory.getLogger(JsEngine.class);

    private JitWarmUp() {}

    /** Starts the warm-up; it stops early once {@code closed} holds. */
    static Thread start(JsEngine engine, int calls, BooleanSupplier closed) {
        return Thread.ofPlatform().daemon().priority(Thread.MIN_PRIORITY).name("valence-jit-warm-up").start(() -> {
            long startNs = System.nanoTime();
            int done = 0;
            ValContext trivial = null, json = null, url = null;
            try {
                trivial = warmContext(engine, "export default () => new Response('hello')");
                json = warmContext(engine, """
                        export default async (req) => {
                          const body = await req.json();
                          const items = body.items.map((x, i) => ({ i, name: x.name, total: x.price * x.quantity }));
                          return Response.json({ path: req.url, count: items.length, items }, { headers: { 'x-warm': req.headers.get('x-id') } });
                        }""");
                url = warmContext(engine, """
                        export default (req) => {
                          const u = new URL(req.url);
                          return new Response(u.pathname + u.searchParams.get('q'), { status: 200, headers: { 'content-type': 'text/plain' } });
                        }""");
                byte[] body = "{\"items\":[{\"name\":\"a\",\"price\":2,\"quantity\":3},{\"name\":\"b\",\"price\":1.5,\"quantity\":2}]}"
                        .getBytes(StandardCharsets.UTF_8);
                while (done < calls && !closed.getAsBoolean()) {
                    warmCall(trivial, "GET", "http://localhost/", List.of(new Header("accept", "*/*"), new Header("host", "localhost")), null);
                    warmCall(json, "POST", "http://localhost/orders/" + (done & 7),
                            List.of(new Header("content-type", "application/json"), new Header("x-id", "w")), body);
                    warmCall(url, "GET", "http://localhost/a/b?q=" + (done & 3), List.of(new Header("accept", "*/*")), null);
                    done += 3;
                }
                log.info("JIT warm-up: {} calls in {} ms", done,
                        (System.nanoTime() - startNs) / 1_000_000);
            } catch (RuntimeException e) {
                if (!closed.getAsBoolean()) log.warn("JIT warm-up stopped after {} calls: {}", done, e.toString());
            } finally {
                for (ValContext c : new ValContext[] {trivial, json, url}) if (c != null) c.close();
            }
        });
    }

    private static ValContext warmContext(JsEngine engine, String code) {
        var context = new ValContext(engine, 1024);
        context.load(JsEngine.moduleSource("valence/warm-up", code));
        return context;
    }

    /** One invocation the way the runner makes it (a synchronous answer, or a promise settled by its microtasks). */
    private static void warmCall(ValContext context, String method, String url, List<Header> headers, byte[] body) {
        boolean answered = context.callHttp(new ValRunner.HttpCall(method, url, headers, body));
        if (!answered && context.settlement() == ValContext.Settlement.FULFILLED) {
            context.takeSettled();
            answered = true;
        }
        if (answered) context.answerHead();
        context.reset();
        context.logs.take();
    }

}
