// kind: script
// follows: https://docs.val.town/reference/environment-variables/ (Deno.env and process.env right after the variable was set)
// env: SLACK_CHANNEL=#corpus-alerts
// env: RETRY_LIMIT=3
// call: run {}
// outcome: success
// result: {"channel":"#corpus-alerts","retries":3,"viaProcess":"#corpus-alerts","has":true,"missing":null}

export default function () {
  return {
    channel: Deno.env.get("SLACK_CHANNEL"),
    retries: Number(Deno.env.get("RETRY_LIMIT")),
    viaProcess: process.env.SLACK_CHANNEL,
    has: Deno.env.has("RETRY_LIMIT"),
    missing: Deno.env.get("NOT_SET_ANYWHERE") ?? null,
  };
}
