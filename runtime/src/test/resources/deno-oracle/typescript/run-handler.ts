// Runs a val's default export once in Deno and prints the response body: the oracle for the samples here.
//   deno run --allow-read run-handler.ts namespaces.ts > namespaces.deno.txt
const mod = await import(new URL(Deno.args[0], `file://${Deno.cwd()}/`).href);
const res = await mod.default(new Request("http://localhost/"));
console.log(await res.text());
