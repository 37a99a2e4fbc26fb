// kind: http
// An HTTP val that another val of the corpus calls by its URL.

const quotes = ["Simplicity is prerequisite for reliability.", "Premature optimization is the root of all evil."];

export default function (req: Request) {
  const id = Number(new URL(req.url).pathname.split("/").pop());
  return quotes[id] ? Response.json({ id, quote: quotes[id] }) : Response.json({ error: "no such quote" }, { status: 404 });
}
