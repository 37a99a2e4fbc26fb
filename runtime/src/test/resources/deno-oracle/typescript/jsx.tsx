/** @jsx h */
/** @jsxFrag Fragment */
class Html { constructor(readonly html: string) {} }
type Child = string | number | boolean | null | undefined | Html | Child[];
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
function render(children: Child[]): string {
  return children.flat(Infinity as 1).map((c) =>
    c instanceof Html ? c.html : c == null || typeof c === "boolean" ? "" : escape(String(c))).join("");
}
function h(tag: string | ((props: any) => Html), props: Record<string, unknown> | null, ...children: Child[]): Html {
  if (typeof tag === "function") return tag({ ...props, children });
  const attrs = Object.entries(props ?? {}).map(([k, v]) => ` ${k}="${escape(String(v))}"`).join("");
  return new Html(`<${tag}${attrs}>${render(children)}</${tag}>`);
}
function Fragment(props: { children: Child[] }): Html {
  return new Html(render(props.children));
}
const first = <T,>(items: T[]): T => items[0];

function Item({ name, n }: { name: string; n: number }) {
  return <li class="item">{name} × {n}</li>;
}

export default (req: Request): Response => {
  const items = [{ name: "apples & pears", n: 3 }, { name: "<figs>", n: 1 }];
  const page = (
    <>
      <h1 title={first(["Shop"])}>Basket</h1>
      <ul>{items.map((i) => <Item name={i.name} n={i.n} />)}</ul>
      {items.length > 5 && <p>many</p>}
    </>
  );
  return new Response(page.html, { headers: { "content-type": "text/html; charset=utf-8" } });
};
