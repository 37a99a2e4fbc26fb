// The owner's vals with type, privacy and last run; search by name and by code; a new val from a template.
import { api, enc } from "./api.js";
import { h, when, statusLine, say } from "./dom.js";
import { show, session, problem } from "./main.js";
import { TEMPLATES } from "./templates.js";

export async function dashboard() {
  const vals = (await api("GET", "/api/v1/vals")).data;
  const rows = vals.map((val) => {
    const last = h("td", { class: "last-run" }, "…");
    api("GET", `/api/v1/vals/${enc(val.owner)}/${enc(val.name)}/runs?limit=1`).then(({ data }) => {
      last.replaceChildren(data.length === 0 ? "never run"
        : h("span", {}, h("span", { class: "outcome " + data[0].outcome }, data[0].outcome), " ", when(data[0].startedAt)));
    }).catch(() => last.replaceChildren("—"));
    return h("tr", {},
      h("th", { scope: "row" }, h("a", { href: `#/val/${enc(val.name)}` }, val.name)),
      h("td", {}, val.type), h("td", {}, val.privacy), h("td", {}, "v" + val.version), last);
  });
  const table = vals.length === 0 ? h("p", {}, "No vals yet: create one below.")
    : h("table", { class: "vals" }, h("caption", {}, `Your vals (${vals.length})`),
      h("thead", {}, h("tr", {}, ["Name", "Type", "Privacy", "Version", "Last run"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows));
  show(h("div", {}, h("h1", {}, "Vals"), searchBox(), table, createForm()), "Vals");
}

function searchBox() {
  const results = h("div", { id: "search-results", "aria-live": "polite" });
  const input = h("input", { id: "search", type: "search", placeholder: "name or code, e.g. fetch(", autocomplete: "off" });
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) return results.replaceChildren();
      try {
        const { data } = await api("GET", `/api/v1/search?q=${enc(q)}`);
        results.replaceChildren(data.length === 0 ? h("p", {}, `Nothing matches “${q}”.`) : h("ul", { class: "hits" }, data.map((hit) =>
          h("li", {}, h("a", { href: `#/val/${enc(hit.val.name)}` }, hit.val.name), " ",
            h("span", { class: "muted" }, hit.inName ? "name" : "", hit.inName && hit.inCode ? " and " : "", hit.inCode ? "code" : ""),
            hit.lines.length ? h("ol", { class: "lines" }, hit.lines.map((l) =>
              h("li", {}, h("span", { class: "muted" }, `line ${l.line}: `), h("code", {}, l.text)))) : null))));
      } catch (e) {
        results.replaceChildren(problem(e) ?? "");
      }
    }, 200);
  });
  return h("section", { class: "card", role: "search" }, h("label", { for: "search" }, "Search your vals by name or code"), input, results);
}

function createForm() {
  const status = statusLine("create-status");
  const name = h("input", { id: "new-name", required: true, pattern: "[a-z0-9]+(-[a-z0-9]+)*", autocomplete: "off",
    "aria-describedby": "new-name-help" });
  const type = h("select", { id: "new-type" }, ["http", "script", "cron", "email"].map((t) => h("option", { value: t }, t)));
  const privacy = h("select", { id: "new-privacy" }, ["public", "unlisted", "private"].map((t) => h("option", { value: t }, t)));
  const schedule = h("input", { id: "new-schedule", value: "every 1h", autocomplete: "off" });
  const scheduleRow = h("div", { class: "field", hidden: true }, h("label", { for: "new-schedule" }, "Schedule"), schedule);
  type.addEventListener("change", () => (scheduleRow.hidden = type.value !== "cron"));
  return h("form", { class: "card", "aria-labelledby": "create-title", onsubmit: async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), type: type.value, privacy: privacy.value, code: TEMPLATES[type.value] };
    if (type.value === "cron") body.schedule = schedule.value;
    try {
      const val = await api("POST", "/api/v1/vals", body);
      location.hash = `#/val/${enc(val.name)}`;
    } catch (e) {
      say(status, e.message, "error");
    }
  } },
    h("h2", { id: "create-title" }, "New val"),
    h("div", { class: "row" },
      h("div", { class: "field" }, h("label", { for: "new-name" }, "Name"), name,
        h("small", { id: "new-name-help" }, "lowercase letters and digits, single dashes between")),
      h("div", { class: "field" }, h("label", { for: "new-type" }, "Type"), type),
      h("div", { class: "field" }, h("label", { for: "new-privacy" }, "Privacy"), privacy),
      scheduleRow),
    h("button", { type: "submit", id: "create" }, "Create from template"),
    status);
}

export { session };
