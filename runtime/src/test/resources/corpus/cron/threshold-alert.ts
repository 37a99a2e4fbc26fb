// kind: cron
// follows: https://docs.val.town/vals/cron/ (a monitor: threshold from an environment variable, an error reported with its line)
// schedule: */15 * * * *
// env: ERROR_BUDGET=2
// call: run {}
// outcome: error
// error: Error: 3 failures exceed the budget of 2
// error-line: 21
// log: [warn] checking 4 checks

const checks = await Promise.all([
  Promise.resolve({ name: "api", ok: false }),
  Promise.resolve({ name: "db", ok: false }),
  Promise.resolve({ name: "web", ok: true }),
  Promise.resolve({ name: "mail", ok: false }),
]);

export default async function () {
  console.warn(`checking ${checks.length} checks`);
  const failures = checks.filter((c) => !c.ok).length;
  if (failures > Number(Deno.env.get("ERROR_BUDGET"))) throw new Error(`${failures} failures exceed the budget of ${Deno.env.get("ERROR_BUDGET")}`);
}
