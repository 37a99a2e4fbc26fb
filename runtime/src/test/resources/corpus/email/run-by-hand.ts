// kind: email
// follows: https://docs.val.town/vals/email/ (an email val run by hand with a test message)
// call: run {"message": {"from": "Bob <bob@example.com>", "to": ["support@example.com", "sales@example.com"], "cc": ["boss@example.com"], "subject": "Refund for order 1234", "text": "Please refund order 1234.", "headers": {"X-Priority": "1"}}}
// outcome: success
// log: [log] ticket from Bob <bob@example.com> to support@example.com, sales@example.com (cc boss@example.com)
// log: [log] order 1234, urgent: true
// log: [log] attachments: 0

export default async function (email: { from: string; to: string[]; cc?: string[]; subject?: string; text?: string; headers: Record<string, string>; attachments: File[] }) {
  console.log(`ticket from ${email.from} to ${email.to.join(", ")} (cc ${(email.cc ?? []).join(", ")})`);
  const order = email.subject?.match(/order (\d+)/)?.[1];
  console.log(`order ${order}, urgent: ${email.headers["X-Priority"] === "1"}`);
  console.log(`attachments: ${email.attachments.length}`);
}
