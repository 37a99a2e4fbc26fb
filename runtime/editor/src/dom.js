// A small element builder: text always goes in as text, never as HTML (val names, code and logs are
// the user's own and the page's policy forbids inline script anyway).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === "class") el.className = value;
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/** A status line read out by screen readers as it changes. */
export function statusLine(id) {
  return h("p", { id, class: "status", role: "status", "aria-live": "polite" });
}

export function say(el, text, kind = "info") {
  el.textContent = text;
  el.dataset.kind = kind;
}
