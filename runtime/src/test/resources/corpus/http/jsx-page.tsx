// kind: http
// follows: https://docs.val.town/vals/http/jsx/ (server-rendered JSX with a classic pragma and a small h())
// call: GET /?user=Ann
// status: 200
// expect-header: content-type: text/html; charset=utf-8
// expect-body: <!doctype html><html><body><h1 class="title">Todo for Ann</h1><ul><li>buy milk</li><li class="done">write val</li></ul><p>2 items, 1 done</p><footer>made with JSX &amp; h()</footer></body></html>

/** @jsx h */
/** @jsxFrag Fragment */

type Child = string | number | boolean | null | undefined | Child[];
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function h(tag: string | ((props: any) => string), props: Record<string, any> | null, ...children: Child[]): string {
  if (typeof tag === "function") return tag({ ...props, children });
  const attrs = Object.entries(props ?? {})
    .filter(([, v]) => v !== false && v != null)
    .map(([k, v]) => ` ${k === "className" ? "class" : k}="${escape(String(v))}"`)
    .join("");
  return `<${tag}${attrs}>${render(children)}</${tag}>`;
}
function Fragment({ children }: { children: Child[] }): string {
  return render(children);
}
function render(children: Child[]): string {
  return children.flat(Infinity as 1).map((c) => (c == null || c === false || c === true ? "" : typeof c === "string" && !c.startsWith("<") ? escape(c) : String(c))).join("");
}

const todos = [{ text: "buy milk", done: false }, { text: "write val", done: true }];

function TodoList({ items }: { items: typeof todos }) {
  return <ul>{items.map((t) => <li className={t.done ? "done" : undefined}>{t.text}</li>)}</ul>;
}

export default function (req: Request) {
  const user = new URL(req.url).searchParams.get("user") ?? "you";
  const page = (
    <html>
      <body>
        <h1 className="title">Todo for {user}</h1>
        <TodoList items={todos} />
        <>
          <p>{todos.length} items, {todos.filter((t) => t.done).length} done</p>
          <footer>made with {"JSX & h()"}</footer>
        </>
      </body>
    </html>
  );
  return new Response("<!doctype html>" + page, { headers: { "content-type": "text/html; charset=utf-8" } });
}
