// The owner's environment variables (names listed, values write-only) and std/blob keys.
import { api, enc } from "./api.js";
import { h, when, statusLine, say } from "./dom.js";
import { show } from "./main.js";

export async function envPage() {
  const { data } = await api("GET", "/api/v1/env");
  const status = statusLine("env-status");
  const key = h("input", { id: "env-key", required: true, pattern: "[A-Za-z_][A-Za-z0-9_]*", autocomplete: "off" });
  const value = h("input", { id: "env-value", type: "password", required: true, autocomplete: "off" });
  const rows = data.map((e) => h("tr", {}, h("th", { scope: "row" }, h("code", {}, e.key)), h("td", {}, when(e.updatedAt)),
    h("td", {}, h("button", { type: "button", "aria-label": `Delete ${e.key}`, onclick: async () => {
      if (!confirm(`Delete ${e.key}? Vals reading it get undefined.`)) return;
      await api("DELETE", `/api/v1/env/${enc(e.key)}`);
      envPage();
    } }, "Delete"))));
  show(h("div", {}, h("h1", {}, "Environment variables"),
    h("p", {}, "Vals read these with Deno.env.get or process.env. Values are write-only: set one again to change it."),
    data.length ? h("table", {}, h("caption", {}, "Your variables"),
      h("thead", {}, h("tr", {}, ["Name", "Set", ""].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows))
      : h("p", {}, "None yet."),
    h("form", { class: "card", "aria-labelledby": "env-title", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api("PUT", `/api/v1/env/${enc(key.value)}`, { value: value.value });
        value.value = "";
        envPage();
      } catch (e) {
        say(status, e.message, "error");
      }
    } }, h("h2", { id: "env-title" }, "Set a variable"),
      h("div", { class: "row" }, h("div", { class: "field" }, h("label", { for: "env-key" }, "Name"), key),
        h("div", { class: "field" }, h("label", { for: "env-value" }, "Value"), value)),
      h("button", { type: "submit" }, "Set"), status)), "Environment");
}

export async function blobsPage(prefix = "", cursor = null) {
  const q = new URLSearchParams({ prefix, limit: "100" });
  if (cursor) q.set("cursor", cursor);
  const { data, nextCursor } = await api("GET", `/api/v1/blob?${q}`);
  const status = statusLine("blob-status");
  const viewer = h("section", { id: "blob-view", class: "card", hidden: true, "aria-live": "polite" });
  const filter = h("input", { id: "blob-prefix", type: "search", value: prefix, autocomplete: "off" });
  const rows = data.map((b) => h("tr", {},
    h("th", { scope: "row" }, h("button", { type: "button", class: "link", onclick: async () => {
      const blob = await api("GET", `/api/v1/blob/${enc(b.key)}`);
      viewer.hidden = false;
      viewer.replaceChildren(h("h2", {}, b.key), h("p", {}, `${blob.contentType}, ${blob.size} bytes, written ${when(blob.updatedAt)}`),
        h("pre", { class: "logs" }, blob.encoding === "utf-8" ? blob.value : `(binary, base64) ${blob.value}`));
    } }, b.key)),
    h("td", {}, `${b.size} B`), h("td", {}, when(b.updatedAt)),
    h("td", {}, h("button", { type: "button", "aria-label": `Delete ${b.key}`, onclick: async () => {
      if (!confirm(`Delete the blob ${b.key}?`)) return;
      try {
        await api("DELETE", `/api/v1/blob/${enc(b.key)}`);
        blobsPage(prefix, cursor);
      } catch (e) {
        say(status, e.message, "error");
      }
    } }, "Delete"))));
  show(h("div", {}, h("h1", {}, "Blobs"),
    h("form", { class: "row", role: "search", onsubmit: (event) => (event.preventDefault(), blobsPage(filter.value)) },
      h("div", { class: "field" }, h("label", { for: "blob-prefix" }, "Keys starting with"), filter), h("button", { type: "submit" }, "Filter")),
    data.length ? h("table", {}, h("caption", {}, "Your std/blob keys"),
      h("thead", {}, h("tr", {}, ["Key", "Size", "Written", ""].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows))
      : h("p", {}, "No keys" + (prefix ? ` starting with “${prefix}”.` : ".")),
    nextCursor ? h("button", { type: "button", onclick: () => blobsPage(prefix, nextCursor) }, "Next page") : null,
    status, viewer), "Blobs");
}

/** Admins only: the users there are, with their role and address. */
export async function usersPage() {
  const { data } = await api("GET", "/api/v1/users");
  show(h("div", {}, h("h1", {}, "Users"),
    h("p", {}, "A new user and their first token: POST /api/v1/users {\"name\": \"...\"} (see the README)."),
    h("table", { class: "users" }, h("caption", {}, `Users (${data.length})`),
      h("thead", {}, h("tr", {}, ["Name", "Role", "Email", "Since"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, data.map((u) => h("tr", {}, h("th", { scope: "row" }, u.name), h("td", {}, u.role), h("td", {}, u.email ?? ""),
        h("td", {}, when(u.createdAt))))))), "Users");
}
