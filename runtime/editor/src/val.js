// One val: its code (save, errors in the gutter, preview, settings, Run now), its history and its runs.
import { api, enc, stream } from "./api.js";
import { h, when, statusLine, say } from "./dom.js";
import { show, session, problem, onLeave } from "./main.js";
import { codeEditor, markError, clearErrors, diffView } from "./code.js";
import { SAMPLE_MESSAGE } from "./templates.js";

const path = (val) => `/api/v1/vals/${enc(val.owner)}/${enc(val.name)}`;

export async function valPage(name, tab) {
  const val = await api("GET", `/api/v1/vals/${enc(session.user)}/${enc(name)}`);
  const tabs = h("nav", { class: "tabs", "aria-label": "Val" }, [["code", "Code"], ["history", "History"], ["runs", "Runs"]].map(([id, label]) =>
    h("a", { href: `#/val/${enc(name)}${id === "code" ? "" : "/" + id}`, "aria-current": tab === id ? "page" : null }, label)));
  const body = h("div", { class: "val-body" });
  show(h("div", {}, h("h1", {}, `${val.owner}/${val.name} `, h("span", { class: "badge" }, val.type)), tabs, body), `${val.name}`);
  if (tab === "history") await history(val, body);
  else if (tab === "runs") await runs(val, body);
  else code(val, body);
}

function hostUrl(val) {
  return session.valUrlTemplate ? session.valUrlTemplate.replace("{owner}", val.owner).replace("{val}", val.name) : val.url;
}

function code(val, body) {
  const status = statusLine("save-status");
  const privacy = h("select", { id: "privacy" }, ["public", "unlisted", "private"].map((p) => h("option", { value: p, selected: p === val.privacy }, p)));
  const type = h("select", { id: "type" }, ["http", "script", "cron", "email"].map((t) => h("option", { value: t, selected: t === val.type }, t)));
  // the schedule is asked for only while cron is chosen; the server clears it from a val that stops being one
  const schedule = h("input", { id: "schedule", value: val.schedule ?? "every 1h", autocomplete: "off" });
  const scheduleField = h("div", { class: "field", hidden: val.type !== "cron" }, h("label", { for: "schedule" }, "Schedule"), schedule);
  type.addEventListener("change", () => (scheduleField.hidden = type.value !== "cron"));
  const version = h("span", { id: "version" }, `version ${val.version}`);
  const holder = h("div", { class: "code", id: "code" });
  let current = val;
  const preview = val.type === "http" ? h("iframe", { id: "preview", title: `Preview of ${val.name}`, src: hostUrl(val),
    sandbox: "allow-scripts allow-forms" }) : null;
  const save = async () => {
    say(status, "Saving…");
    const body = { code: editor.state.doc.toString(), privacy: privacy.value, type: type.value };
    if (type.value === "cron") body.schedule = schedule.value;
    try {
      // only over the version this page loaded or last saved: a newer save elsewhere is not silently undone
      current = await api("PUT", path(val), body, { "If-Match": `"${current.version}"` });
      if (current.type !== val.type) {
        // another type has another page: the preview for http, Run now for the others
        await valPage(val.name, "code");
        say(document.getElementById("save-status"), `Saved as version ${current.version}; it is now a ${current.type} val.`, "ok");
        return;
      }
      clearErrors(editor);
      version.textContent = `version ${current.version}`;
      say(status, `Saved as version ${current.version}.`, "ok");
      if (preview) preview.src = hostUrl(val);
    } catch (e) {
      if (e.details.line) markError(editor, e.details.line, e.details.column ?? 1, e.message);
      if (e.code === "stale_version") {
        say(status, `Not saved: version ${e.details.currentVersion} was saved elsewhere after the version ${current.version} you are editing.`
          + " Copy your changes, reload the page to get the newer code, and apply them there (History compares the two).", "error");
      } else {
        say(status, e.message, "error");
      }
    }
  };
  const editor = codeEditor(holder, val.code, { onSave: save, label: `Code of ${val.name}` });
  const settings = h("div", { class: "row settings" },
    h("div", { class: "field" }, h("label", { for: "type" }, "Type"), type),
    h("div", { class: "field" }, h("label", { for: "privacy" }, "Privacy"), privacy),
    scheduleField,
    h("div", { class: "field" }, h("span", { class: "label" }, "Latest"), version),
    h("button", { type: "button", id: "save", onclick: save, title: "Save (Ctrl+S / ⌘S)" }, "Save"));
  body.append(settings, h("p", { class: "hint" }, "Ctrl+S (⌘S) saves; Ctrl+F searches; Ctrl+] and Ctrl+[ indent; Tab moves on to the next control, as everywhere on the page."),
    holder, status);
  if (preview) {
    const url = hostUrl(val);
    body.append(h("section", { class: "card", "aria-labelledby": "preview-title" },
      h("h2", { id: "preview-title" }, "Preview"),
      h("p", {}, "Its URL: ", h("a", { id: "val-url", href: url, target: "_blank", rel: "noopener" }, url),
        " ", h("button", { type: "button", onclick: () => (preview.src = url) }, "Reload")), preview));
  } else {
    body.append(runNow(val));
  }
}

function runNow(val) {
  const out = h("pre", { id: "run-result", class: "logs", "aria-live": "polite" });
  const status = statusLine("run-status");
  const isEmail = val.type === "email";
  const input = h("textarea", { id: "run-input", rows: 4, spellcheck: "false" },
    isEmail ? JSON.stringify(SAMPLE_MESSAGE, null, 2) : val.type === "script" ? "[]" : "{}");
  const label = isEmail ? "Sample message (JSON)" : val.type === "script" ? "Arguments (a JSON array)" : "Body (JSON, usually {})";
  return h("section", { class: "card", "aria-labelledby": "run-title" },
    h("h2", { id: "run-title" }, "Run now"),
    h("label", { for: "run-input" }, label), input,
    h("button", { type: "button", id: "run", onclick: async () => {
      let parsed;
      try {
        parsed = JSON.parse(input.value || "null");
      } catch (e) {
        return say(status, "That is not JSON: " + e.message, "error");
      }
      const body = isEmail ? { message: parsed } : val.type === "script" ? { args: parsed ?? [] } : parsed ?? {};
      say(status, "Running…");
      try {
        const result = await api("POST", path(val) + "/run", body);
        say(status, `Finished: ${result.outcome ?? "done"}`, result.outcome === "success" ? "ok" : "error");
        out.textContent = JSON.stringify(result, null, 2);
      } catch (e) {
        say(status, e.message, "error");
      }
    } }, "Run now"), status, out);
}

async function history(val, body) {
  const versions = (await api("GET", path(val) + "/versions")).data.slice().sort((a, b) => b.version - a.version);
  const status = statusLine("history-status");
  const pick = (id, label, chosen) => h("div", { class: "field" }, h("label", { for: id }, label),
    h("select", { id }, versions.map((v) => h("option", { value: v.version, selected: v.version === chosen }, `v${v.version}`))));
  const diff = h("div", { id: "diff", class: "diff" });
  const older = pick("older", "Compare", versions[1]?.version ?? versions[0].version);
  const newer = pick("newer", "with", versions[0].version);
  const compare = async () => {
    const [a, b] = await Promise.all([older, newer].map((f) => api("GET", `${path(val)}/versions/${f.querySelector("select").value}`)));
    diff.replaceChildren();
    diffView(diff, a.code, b.code);
  };
  const rows = versions.map((v) => h("tr", {},
    h("th", { scope: "row" }, `v${v.version}`), h("td", {}, val.owner), h("td", {}, when(v.createdAt)),
    h("td", {}, v.version === val.version ? "current" : h("button", { type: "button", class: "restore", "data-version": v.version,
      onclick: async () => {
        try {
          const old = await api("GET", `${path(val)}/versions/${v.version}`);
          const saved = await api("PUT", path(val), { code: old.code });
          await valPage(val.name, "history");
          say(document.getElementById("history-status"), `Version ${v.version} restored as version ${saved.version}.`, "ok");
        } catch (e) {
          say(status, e.message, "error");
        }
      } }, `Restore v${v.version}`))));
  body.append(h("table", { class: "versions" }, h("caption", {}, "Versions, newest first"),
    h("thead", {}, h("tr", {}, ["Version", "Author", "Saved", ""].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)),
  status,
  h("section", { class: "card", "aria-labelledby": "diff-title" }, h("h2", { id: "diff-title" }, "Side by side"),
    h("div", { class: "row" }, older, newer, h("button", { type: "button", id: "compare", onclick: () => compare().catch((e) => say(status, e.message, "error")) }, "Compare")),
    diff));
  if (versions.length > 1) await compare();
}

async function runs(val, body) {
  const list = h("tbody");
  const detail = h("section", { id: "run-detail", class: "card", "aria-live": "polite", hidden: true });
  const trigger = h("select", { id: "filter-trigger" }, ["", "http", "cron", "script", "email", "manual"].map((t) => h("option", { value: t }, t || "any")));
  const outcome = h("select", { id: "filter-outcome" }, ["", "success", "error", "timeout", "cancelled", "limit", "schema"].map((t) => h("option", { value: t }, t || "any")));
  const load = async () => {
    const q = new URLSearchParams({ limit: "50" });
    if (trigger.value) q.set("trigger", trigger.value);
    if (outcome.value) q.set("outcome", outcome.value);
    const { data } = await api("GET", `${path(val)}/runs?${q}`);
    list.replaceChildren(...data.map((run) => h("tr", {},
      h("td", {}, h("button", { type: "button", class: "link", "data-run": run.id, onclick: () => showRun(val, run.id, detail) }, when(run.startedAt))),
      h("td", {}, run.trigger), h("td", {}, h("span", { class: "outcome " + run.outcome }, run.outcome)),
      h("td", {}, run.status ?? ""), h("td", {}, `${run.durationMs} ms`))));
    if (data.length === 0) list.replaceChildren(h("tr", {}, h("td", { colspan: 5 }, "No runs match.")));
  };
  trigger.addEventListener("change", load);
  outcome.addEventListener("change", load);
  const tail = h("ol", { id: "tail", class: "logs", "aria-live": "polite", "aria-label": "Live log lines" });
  const tailStatus = statusLine("tail-status");
  const live = stream(`${path(val)}/logs/stream`, (type, data) => {
    if (type === "open") say(tailStatus, "Live: new runs and their log lines appear below as they happen.", "ok");
    else if (type === "log") tail.append(h("li", {}, h("span", { class: "muted" }, `${data.trigger} #${data.runId} `), data.line));
    else if (type === "run") {
      tail.append(h("li", { class: "run-line", "data-run": data.runId }, h("span", { class: "outcome " + data.outcome }, data.outcome),
        ` ${data.trigger} run #${data.runId}` + (data.status ? ` → ${data.status}` : "") + (data.error ? `: ${data.error}` : "")));
    }
    tail.scrollTop = tail.scrollHeight;
  }, (e) => say(tailStatus, e ? "The live tail stopped: " + e.message : "The live tail ended; reload to reconnect.", "error"));
  onLeave(() => live.stop());
  body.append(h("section", { class: "card", "aria-labelledby": "tail-title" }, h("h2", { id: "tail-title" }, "Live tail"), tailStatus, tail),
    h("div", { class: "row" }, h("div", { class: "field" }, h("label", { for: "filter-trigger" }, "Trigger"), trigger),
      h("div", { class: "field" }, h("label", { for: "filter-outcome" }, "Outcome"), outcome),
      h("button", { type: "button", id: "refresh-runs", onclick: load }, "Refresh")),
    h("table", { class: "runs" }, h("caption", {}, "Recent runs, newest first"),
      h("thead", {}, h("tr", {}, ["Started", "Trigger", "Outcome", "Status", "Duration"].map((t) => h("th", { scope: "col" }, t)))), list),
    detail);
  await load();
}

async function showRun(val, id, detail) {
  try {
    const run = await api("GET", `${path(val)}/runs/${enc(id)}`);
    detail.hidden = false;
    detail.replaceChildren(...[h("h2", {}, `Run #${run.id}`),
      h("p", {}, `${run.trigger}, ${run.outcome}${run.status ? ", status " + run.status : ""}, ${run.durationMs} ms, version ${run.version}, ${when(run.startedAt)}`),
      run.error ? h("pre", { class: "error" }, run.error) : null,
      h("h3", {}, "Logs"), h("pre", { class: "logs" }, run.logs || "(no log lines)")].filter(Boolean));
    detail.focus?.();
  } catch (e) {
    detail.replaceChildren(problem(e) ?? "");
  }
}
