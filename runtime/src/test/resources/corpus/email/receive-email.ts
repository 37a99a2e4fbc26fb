// kind: email
// follows: https://docs.val.town/vals/email/ (the docs' handler: log the message, then each attachment)
// call: email {"from": "ann@example.com", "to": "corpus.receive-email@valence.test", "subject": "Lunch?", "text": "Noodles at 12?"}
// outcome: success
// log: [log] Email received! ann@example.com Lunch? Noodles at 12?
// log: [log] 0 attachments

export async function emailValHandler(email: Email) {
  console.log("Email received!", email.from, email.subject, email.text);
  for (const file of email.attachments) {
    console.log(`Filename: ${file.name}`);
    console.log(`Content Type: ${file.type}`);
    console.log(`Content: ${await file.text()}`);
  }
  console.log(`${email.attachments.length} attachments`);
}

interface Email {
  from: string;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  attachments: File[];
}
