// The web editor: sign in, the dashboard, a val's code, history and runs, environment and blobs.
// One page, routed by the URL's fragment (#/val/NAME/runs), so the browser's back button works.
import { api, useCsrf, enc, ApiFailure } from "./api.js";
import { h, statusLine, say } from "./dom.js";
import { dashboard } from "./dashboard.js";
import { valPage } from "./val.js";
import { envPage, blobsPage, usersPage } from "./owner.js";

const main = document.getElementById("main");
const top = document.getElementById("top");
export const session = { user: null, role: null, valUrlTemplate: null };
let leaving = [];

/** Registers what to stop (a live tail) when the page changes. */
export function onLeave(fn) {
  leaving.push(fn);
}

async function start() {
  try {
    signedIn(await api("GET", "/editor/session"));
  } catch (e) {
    if (!(e instanceof ApiFailure) || e.status !== 401) throw e;
    signInPage();
    return;
  }
  route();
}

function signedIn(s) {
  session.user = s.user;
  session.role = s.role;
  session.valUrlTemplate = s.valUrlTemplate;
  useCsrf(s.csrfToken);
  top.hidden = false;
  document.getElementById("who").textContent = `Signed in as ${s.user}`;
  document.getElementById("users-link").hidden = s.role !== "admin";
}

function signInPage() {
  top.hidden = true;
  const status = statusLine("sign-in-status");
  const token = h("input", { id: "token", type: "password", autocomplete: "current-password", required: true, spellcheck: "false" });
  const form = h("form", { class: "card narrow", "aria-labelledby": "sign-in-title", onsubmit: async (event) => {
    event.preventDefault();
    say(status, "Signing in…");
    try {
      signedIn(await api("POST", "/editor/session", { token: token.value }));
      token.value = "";
      if (location.hash === "" || location.hash === "#/") route();
      else location.hash = "#/";
    } catch (e) {
      say(status, e.message, "error");
      token.focus();
    }
  } },
    h("h1", { id: "sign-in-title" }, "Sign in to Valence"),
    h("p", {}, "Paste an API token. The first one is in ~/.valence/bootstrap-token; the token is exchanged for a session and not kept in the browser."),
    h("label", { for: "token" }, "API token"),
    token,
    h("button", { type: "submit", id: "sign-in" }, "Sign in"),
    status);
  show(form, "Sign in");
  token.focus();
}

document.getElementById("sign-out").addEventListener("click", async () => {
  try {
    await api("DELETE", "/editor/session");
  } finally {
    useCsrf(null);
    session.user = null;
    location.hash = "#/";
    signInPage();
  }
});

export function show(content, title) {
  for (const fn of leaving) fn();
  leaving = [];
  main.replaceChildren(content);
  document.title = `${title} · Valence editor`;
}

export function problem(e) {
  if (e instanceof ApiFailure && e.status === 401) {
    signInPage();
    return null;
  }
  return h("p", { class: "status", role: "alert", "data-kind": "error" }, e.message);
}

async function route() {
  if (!session.user) return signInPage();
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "val" && parts[1]) await valPage(parts[1], parts[2] ?? "code");
    else if (parts[0] === "env") await envPage();
    else if (parts[0] === "blobs") await blobsPage();
    else if (parts[0] === "users" && session.role === "admin") await usersPage();
    else await dashboard();
  } catch (e) {
    const shown = problem(e);
    if (shown) show(shown, "Error");
  }
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === "#/" + (parts[0] ?? ""));
  }
  main.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
start().catch((e) => main.replaceChildren(h("p", { role: "alert" }, "The editor could not start: " + e.message)));
export { enc };
