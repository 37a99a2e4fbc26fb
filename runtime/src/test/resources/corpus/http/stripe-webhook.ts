// kind: http
// follows: https://docs.stripe.com/webhooks#verify-manually (Stripe's signature scheme checked with crypto.subtle HMAC-SHA256)
// env: STRIPE_WEBHOOK_SECRET=whsec_corpus_test_secret
// call: POST /
// header: Stripe-Signature: t=1733450000,v1=c0db00f9d60c2524aaaff8301c920cfa9fb921ddd1b02403116b733f05493d71
// header: Content-Type: application/json
// body: {"id":"evt_1","type":"checkout.session.completed","data":{"object":{"amount_total":2000}}}
// status: 200
// expect-body: {"received":true,"type":"checkout.session.completed","amount":2000}
// call: POST /
// header: Stripe-Signature: t=1733450000,v1=c0db00f9d60c2524aaaff8301c920cfa9fb921ddd1b02403116b733f05493d71
// header: Content-Type: application/json
// body: {"id":"evt_1","type":"checkout.session.completed","data":{"object":{"amount_total":1}}}
// status: 400
// expect-body: Webhook signature verification failed
// call: POST /
// body: {}
// status: 400
// expect-body: Missing Stripe-Signature header
// (Stripe's five-minute timestamp tolerance is left out so that the recorded signature keeps verifying.)

const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

async function verifyStripeSignature(payload: string, header: string, secret: string): Promise<boolean> {
  const parts = Object.fromEntries(header.split(",").map((kv) => kv.split("=") as [string, string]));
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // verify() compares in constant time, unlike comparing hex strings
  return crypto.subtle.verify("HMAC", key, hexToBytes(parts.v1 ?? ""), encoder.encode(`${parts.t}.${payload}`));
}

export default async function (req: Request): Promise<Response> {
  const signature = req.headers.get("stripe-signature");
  if (!signature) return new Response("Missing Stripe-Signature header", { status: 400 });
  const payload = await req.text();
  if (!(await verifyStripeSignature(payload, signature, Deno.env.get("STRIPE_WEBHOOK_SECRET")!))) {
    return new Response("Webhook signature verification failed", { status: 400 });
  }
  const event = JSON.parse(payload);
  return Response.json({ received: true, type: event.type, amount: event.data.object.amount_total });
}
