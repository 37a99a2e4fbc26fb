// CodeMirror 6 as the editor uses it: TypeScript with JSX highlighting, bracket matching, search,
// the default keymaps (basicSetup), Ctrl/Cmd-S to save, and the lint gutter where a refused save
// marks the line and column the server named.
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { EditorState } from "@codemirror/state";
import { javascript } from "@codemirror/lang-javascript";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { MergeView } from "@codemirror/merge";

// The page's policy admits inline style only with this response's nonce: CodeMirror puts it on the
// <style> elements it writes.
const nonce = document.querySelector('meta[name="valence-style-nonce"]')?.content ?? "";
const styleNonce = EditorView.cspNonce.of(nonce);

export function codeEditor(parent, doc, { onSave, label }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        styleNonce,
        keymap.of([{ key: "Mod-s", preventDefault: true, run: () => (onSave(), true) }]),
        basicSetup,
        javascript({ typescript: true, jsx: true }),
        lintGutter(),
        EditorView.contentAttributes.of({ "aria-label": label }),
      ],
    }),
  });
  return view;
}

/** Marks a refused save at its 1-based line and column (clamped to the document). */
export function markError(view, line, column, message) {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const from = Math.min(l.from + Math.max(0, column - 1), l.to);
  const to = Math.min(from + 1, l.to) === from ? from : from + 1;
  view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
}

export function clearErrors(view) {
  view.dispatch(setDiagnostics(view.state, []));
}

/** Two versions side by side, read-only, changes highlighted. */
export function diffView(parent, older, newer) {
  const readOnly = [styleNonce, basicSetup, javascript({ typescript: true, jsx: true }), EditorState.readOnly.of(true), EditorView.editable.of(false)];
  return new MergeView({ parent, a: { doc: older, extensions: readOnly }, b: { doc: newer, extensions: readOnly } });
}
