// kind: email
// follows: https://docs.val.town/vals/email/ (attachments arrive as web Files), sent as a raw RFC 5322 message
// call: email-raw attachments.eml
// outcome: success
// log: [log] from Carol <carol@example.com>: Quarterly numbers
// log: [log] body: Numbers attached.
// log: [log] report.csv text/csv 30 true
// log: [log] region,total
// log: north,42
// log: south,7
// log: [log] logo.png image/png 8 true
// log: [log] png signature: 89 50 4e 47 0d 0a 1a 0a

export default async function (email: { from: string; subject: string; text: string; attachments: File[] }) {
  console.log(`from ${email.from}: ${email.subject}`);
  console.log(`body: ${email.text.trim()}`);
  for (const file of email.attachments) {
    console.log(file.name, file.type, file.size, file instanceof File);
    if (file.type.startsWith("text/")) console.log((await file.text()).trim());
    else {
      const bytes = new Uint8Array(await file.arrayBuffer());
      console.log(`png signature: ${[...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`);
    }
  }
}
