// kind: script
// follows: https://docs.val.town/std/email/ (std/email's basic usage: mail to yourself)
// deno: skip: std/email is served by the platform
// call: run {}
// outcome: error
// error: Error: <any>SMTP_URL<any>
// log: [log] sending the weekly report
// (the corpus runtime has no SMTP_URL, so email() must refuse with a sentence naming it; delivery itself is tested against a real SMTP server elsewhere)

import { email } from "https://esm.town/v/std/email";

console.log("sending the weekly report");
await email({ subject: "Weekly report", text: "3 vals changed this week", html: "<p>3 vals changed this week</p>" });
console.log("sent");
