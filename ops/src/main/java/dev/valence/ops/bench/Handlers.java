package dev.valence.ops.bench;

/**
 * The handlers both systems run: as vals (fetch-style, on Valence) and as a Node.js {@code http}
 * server. The work itself (the reply builder, fib) is the same JavaScript text on both sides; only
 * the plumbing differs, written the way each platform is normally used.
 */
final class Handlers {
    private Handlers() {}

    /** The realistic request body: a small JSON document. */
    static final String REALISTIC_BODY = "{\"owner\":\"ada\",\"name\":\"widget\",\"price\":12.5,\"tags\":[\"blue\",\"small\",\"sale\"],\"note\":\"deliver after 5pm\"}";

    /** Builds the ~1 KB answer of the realistic handler from the item id and the parsed body. */
    static final String REPLY = """
            function reply(id, input) {
              const items = [];
              for (let i = 0; i < 8; i++) {
                items.push({ id: id * 100 + i, name: input.name + ' #' + i, owner: input.owner, tags: input.tags,
                  price: Math.round(input.price * (i + 1) * 100) / 100, inStock: i % 2 === 0, note: input.note });
              }
              return { ok: true, id, count: items.length, items };
            }
            """;

    static final String FIB = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n";

    static final String TRIVIAL_VAL = "export default () => new Response('hello')";

    static final String REALISTIC_VAL = REPLY + """
            export default async (req) => {
              const m = /^\\/items\\/(\\d+)$/.exec(new URL(req.url).pathname);
              if (req.method !== 'POST' || !m) return new Response('not found', { status: 404 });
              return Response.json(reply(Number(m[1]), await req.json()));
            };
            """;

    /** The version of hono the package row imports (the one the runtime's package tests pin). */
    static final String HONO_VERSION = "4.13.23";

    /** The realistic val written the way vals from the wild are: routed by Hono, imported from npm. */
    static final String REALISTIC_HONO_VAL = "import { Hono } from 'npm:hono@" + HONO_VERSION + "';\n" + REPLY + """
            const app = new Hono();
            app.post('/items/:id{[0-9]+}', async (c) => c.json(reply(Number(c.req.param('id')), await c.req.json())));
            export default app.fetch;
            """;

    /** The realistic val routing on the path with string operations instead of {@code new URL}: isolates the URL library's cost. */
    static final String REALISTIC_NO_URL_VAL = REPLY + """
            export default async (req) => {
              const path = req.url.slice(req.url.indexOf('/', req.url.indexOf('//') + 2)).split('?')[0];
              const m = /^\\/items\\/(\\d+)$/.exec(path);
              if (req.method !== 'POST' || !m) return new Response('not found', { status: 404 });
              return Response.json(reply(Number(m[1]), await req.json()));
            };
            """;

    static final String FIB_VAL = FIB + "export default () => new Response(String(fib(27)))";

    /** A val whose code differs per save, for the cold-start scenario. */
    static String coldVal(int n) {
        return "const n = " + n + ";\nexport default () => new Response('version ' + n)";
    }

    /** The Node.js server: {@code node server.mjs PORT}. Same paths as the vals' rest paths. */
    static final String NODE_SERVER = REPLY + FIB + """
            import http from 'node:http';
            const port = Number(process.argv[2]);
            http.createServer((req, res) => {
              if (req.url === '/trivial') {
                res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' });
                res.end('hello');
                return;
              }
              if (req.url === '/fib') {
                res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' });
                res.end(String(fib(27)));
                return;
              }
              const m = /^\\/realistic\\/items\\/(\\d+)$/.exec(new URL(req.url, 'http://localhost').pathname);
              if (req.method !== 'POST' || !m) { res.writeHead(404); res.end('not found'); return; }
              const chunks = [];
              req.on('data', c => chunks.push(c));
              req.on('end', () => {
                const body = JSON.stringify(reply(Number(m[1]), JSON.parse(Buffer.concat(chunks).toString('utf8'))));
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(body);
              });
            }).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
            """;
}
