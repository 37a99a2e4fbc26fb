// Runs a script or cron val under real Deno the way a run does: the module's top level, then its handler with the
// args (a script's default export; a cron val's default export or, failing that, its only exported function).
// The last line is a NUL, "result" or "error", and JSON.
const [file, argsJson, kind = "script"] = Deno.args;
const marker = String.fromCharCode(0);
try {
  const mod = await import(file);
  const functions = Object.values(mod).filter((v) => typeof v === "function");
  const handler = typeof mod.default === "function" ? mod.default : kind === "cron" && functions.length === 1 ? functions[0] : null;
  const result = handler ? await handler(...JSON.parse(argsJson)) : null;
  console.log(`${marker}result ${JSON.stringify(result ?? null)}`);
} catch (e) {
  const at = String(e?.stack ?? "").split("\n").find((l) => l.includes(file));
  const line = at ? Number(at.match(/:(\d+):\d+\)?$/)?.[1]) : null;
  console.log(`${marker}error ${JSON.stringify({ message: String(e), line })}`);
}
