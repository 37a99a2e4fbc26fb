// Runs a script val under real Deno the way a script run does: the module's top level, then its default
// export with the args. The last line is a NUL, "result" or "error", and JSON.
const [file, argsJson] = Deno.args;
const marker = String.fromCharCode(0);
try {
  const mod = await import(file);
  const result = typeof mod.default === "function" ? await mod.default(...JSON.parse(argsJson)) : null;
  console.log(`${marker}result ${JSON.stringify(result ?? null)}`);
} catch (e) {
  const at = String(e?.stack ?? "").split("\n").find((l) => l.includes(file));
  const line = at ? Number(at.match(/:(\d+):\d+\)?$/)?.[1]) : null;
  console.log(`${marker}error ${JSON.stringify({ message: String(e), line })}`);
}
