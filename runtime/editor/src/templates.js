// What a new val starts with, per type: the smallest thing that runs and shows where to go next.
export const TEMPLATES = {
  http: `export default async function (req: Request): Promise<Response> {
  const name = new URL(req.url).searchParams.get("name") ?? "world";
  console.log("greeting", name);
  return Response.json({ hello: name });
}
`,
  script: `export default async function (...args: unknown[]) {
  console.log("running with", args);
  return { ok: true, args };
}
`,
  cron: `export default async function (interval) {
  console.log("tick; last run at", interval.lastRunAt);
}
`,
  email: `export default async function (email) {
  console.log("mail from", email.from, "about", email.subject);
}
`,
};

export const SAMPLE_MESSAGE = { from: "ann@example.com", to: "inbox@example.com", subject: "Hello", text: "Hi there" };
