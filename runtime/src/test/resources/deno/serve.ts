// Serves an HTTP val under real Deno the way Val Town does: its default export (a function or an
// object with fetch) answers every request. Prints "listening PORT" once the port is open.
const mod = await import(Deno.args[0]);
const exported = mod.default ?? Object.values(mod).find((v) => typeof v === "function");
const handler = typeof exported === "function" ? exported : exported.fetch.bind(exported);
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, (req) => handler(req));
