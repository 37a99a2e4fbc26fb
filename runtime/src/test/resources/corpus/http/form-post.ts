// kind: http
// follows: https://docs.val.town/vals/http/ (an HTML form that posts back to the val)
// call: GET /
// status: 200
// expect-header: content-type: text/html
// expect-body: <form method="POST"><input name="email"><input name="topics" type="checkbox" value="js"><input name="topics" type="checkbox" value="ts"><button>Join</button></form>
// call: POST /
// header: Content-Type: application/x-www-form-urlencoded
// body: email=ann%40example.com&topics=js&topics=ts
// status: 200
// expect-body: <p>Thanks ann@example.com, you picked js, ts.</p>
// call: POST /
// header: Content-Type: application/x-www-form-urlencoded
// body: topics=js
// status: 400
// expect-body: <p>Please give an email address.</p>

const html = (body: string, status = 200) =>
  new Response(body, { status, headers: { "content-type": "text/html" } });

export default async function (req: Request) {
  if (req.method === "POST") {
    const form = await req.formData();
    const email = form.get("email");
    if (!email) return html("<p>Please give an email address.</p>", 400);
    return html(`<p>Thanks ${email}, you picked ${form.getAll("topics").join(", ")}.</p>`);
  }
  return html(
    `<form method="POST"><input name="email"><input name="topics" type="checkbox" value="js"><input name="topics" type="checkbox" value="ts"><button>Join</button></form>`,
  );
}
