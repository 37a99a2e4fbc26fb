// The TypeScript compiler of the platform: strips types and compiles JSX with Sucrase (which keeps every
// line where it was, so stack traces point at the source the author wrote) and lists the module
// specifiers the compiled module imports (es-module-lexer's pure-JS build), so the runtime can resolve
// them first. Sucrase has no runtime namespaces (it drops them silently) and no decorators (it passes them
// through); such code goes to Babel, a separate bundle (babel-entry.js) that the host loads on first need.
// When nothing accepts the code, Babel's parser (whose errors point at the offending token, where
// Sucrase's sometimes point at the start of an enclosing arrow function) names the position.
//
// TS or TSX: a val has no file name, so it is compiled as TypeScript (.ts) and, when that fails, as TSX,
// the way a file named main.tsx would be. The two differ only where `<` starts a type assertion or a
// generic arrow (`<T>(x) => x`) in .ts but a JSX element in .tsx, so a val that uses JSX writes generic
// arrows as `<T,>(x) => x`, as in any .tsx file.
import { parse as babelParse, tokTypes } from "@babel/parser";
import { transform } from "sucrase";
import { parse } from "es-module-lexer/js";

// shared with the Babel bundle (shims/babel-parser.js)
globalThis.valenceBabelParser = { parse: babelParse, tokTypes };

/** A `namespace N {` or `module N {` block somewhere (also in strings or comments: then Babel merely does the same work). */
const NAMESPACE = /(?:^|[^\w$.])(?:namespace|module)\s+[\w$]+(?:\.[\w$]+)*\s*\{/;
/** Something that may be a decorator; the compiled output tells for sure. */
const MAYBE_DECORATOR = /@[\w$(]/;

/**
 * The JSX pragmas of a file, as Deno reads them: `@jsx h`, `@jsxFrag Fragment`, `@jsxImportSource src`,
 * `@jsxRuntime classic|automatic`, each inside a comment. An import source selects the automatic runtime.
 */
function jsxPragmas(source) {
  const found = { pragma: null, pragmaFrag: null, importSource: null, runtime: null, importSourceLine: 0 };
  if (!source.includes("@jsx")) return found;
  const pattern = /@(jsx|jsxFrag|jsxImportSource|jsxRuntime)\s+([^\s*]+)/g;
  for (let match; (match = pattern.exec(source)) !== null;) {
    const lineStart = source.lastIndexOf("\n", match.index) + 1;
    const before = source.slice(lineStart, match.index);
    if (!/\/\*|\/\/|^\s*\*/.test(before)) continue; // not in a comment
    const key = { jsx: "pragma", jsxFrag: "pragmaFrag", jsxImportSource: "importSource", jsxRuntime: "runtime" }[match[1]];
    if (found[key] !== null) continue; // the first one counts
    found[key] = match[2];
    if (key === "importSource") found.importSourceLine = source.slice(0, match.index).split("\n").length;
  }
  return found;
}

/** How JSX is compiled: Deno's default is React's classic runtime, switched by the pragmas above. */
function jsxOptions(pragmas) {
  const automatic = pragmas.runtime === "automatic" || (pragmas.importSource !== null && pragmas.runtime !== "classic");
  return automatic
    ? { runtime: "automatic", importSource: pragmas.importSource || "react" }
    : { runtime: "classic", pragma: pragmas.pragma || "React.createElement", pragmaFrag: pragmas.pragmaFrag || "React.Fragment" };
}

function sucrase(source, name, jsx) {
  const options = {
    transforms: jsx ? ["typescript", "jsx"] : ["typescript"],
    disableESTransforms: true,
    preserveDynamicImport: true,
    production: true, // no __self/__source props: Deno compiles JSX for production too
    filePath: name,
  };
  if (jsx) {
    if (jsx.runtime === "automatic") Object.assign(options, { jsxRuntime: "automatic", jsxImportSource: jsx.importSource });
    else Object.assign(options, { jsxRuntime: "classic", jsxPragma: jsx.pragma, jsxFragmentPragma: jsx.pragmaFrag });
  }
  return transform(source, options).code;
}

/** Whether Sucrase's output is not the whole story: a runtime namespace it dropped or a decorator it passed through. */
function sucraseFellShort(source, code) {
  if (NAMESPACE.test(source)) return true;
  if (!MAYBE_DECORATOR.test(source)) return false;
  try {
    babelParse(code, { sourceType: "module" });
    return false;
  } catch (e) {
    return e.reasonCode === "MissingOneOfPlugins" && String(e.message).includes("decorators");
  }
}

/**
 * Parses with Babel as .ts, then as .tsx: {jsx, source} for the first that parses, else {error} of the one
 * that got further. The source comes back with `module N {` blocks spelled `namespace N {`: TypeScript
 * deprecated that spelling and Babel refuses it, but Deno still runs it (the line stays, the column moves).
 */
function babelCheck(source) {
  let furthest = null;
  for (const jsx of [false, true]) {
    const plugins = jsx ? ["typescript", "jsx", "decorators", "decoratorAutoAccessors"] : ["typescript", "decorators", "decoratorAutoAccessors"];
    try {
      const errors = babelParse(source, { sourceType: "module", errorRecovery: true, plugins }).errors || [];
      if (errors.length === 0) return { jsx, source };
      if (!errors.every((e) => e.reasonCode === "InlineModuleDeclarationMustUseString" && source.startsWith("module", offset(e)))) throw errors[0];
      let rewritten = source;
      for (const e of [...errors].sort((a, b) => offset(b) - offset(a))) {
        rewritten = rewritten.slice(0, offset(e)) + "namespace" + rewritten.slice(offset(e) + "module".length);
      }
      return { jsx, source: rewritten };
    } catch (e) {
      if (!e.loc) throw e;
      if (furthest === null || offset(e) > offset(furthest)) furthest = e;
    }
  }
  return { error: furthest };
}

function offset(e) {
  return e.loc.index ?? e.pos ?? 0;
}

/** A Babel error as the host reports it: the first line of the message, without position or file name; 1-based column. */
function failure(e) {
  const loc = e.loc || null;
  const message = String(e.message || e).split("\n")[0].replace(/^\/[^:]*: /, "").replace(/\s*\(\d+:\d+\)$/, "");
  return JSON.stringify({ ok: false, message, line: loc ? loc.line : 0, column: loc ? loc.column + 1 : 0 });
}

/**
 * @param {string} source the val's code as saved (TypeScript, TSX or JavaScript)
 * @param {string} name the val's name, used in messages
 * @returns {string} JSON: {ok: true, code, imports: [{specifier, dynamic}], jsxRuntime?: {specifier, line}},
 *   {ok: false, message, line, column}, or {ok: false, needsBabel: true} when the Babel bundle must be loaded first
 */
globalThis.valenceCompile = function valenceCompile(source, name) {
  const pragmas = jsxPragmas(source);
  const jsx = jsxOptions(pragmas);
  let code = null;
  let usedJsx = false;
  try {
    code = sucrase(source, name, null);
  } catch (asTs) {
    try {
      code = sucrase(source, name, jsx);
      usedJsx = true;
    } catch (asTsx) {
      // neither: Babel decides below whether the code is wrong or only beyond Sucrase
    }
  }
  const needsBabel = code === null || sucraseFellShort(source, code);
  // Sucrase does not check that a closing tag matches its opening tag (<div></span>); Babel's parser does
  if (usedJsx && !needsBabel) {
    try {
      babelParse(source, { sourceType: "module", plugins: ["typescript", "jsx"] });
    } catch (e) {
      if (e.loc) return failure(e);
    }
  }
  if (needsBabel) {
    const check = babelCheck(source);
    if (check.error) return failure(check.error);
    if (typeof globalThis.valenceBabel !== "function") return JSON.stringify({ ok: false, needsBabel: true });
    try {
      code = globalThis.valenceBabel(check.source, name, check.jsx ? jsx : null);
    } catch (e) {
      return failure(e);
    }
    usedJsx = check.jsx;
  }
  const result = { ok: true, code, imports: [] };
  if (usedJsx && jsx.runtime === "automatic") {
    result.jsxRuntime = { specifier: jsx.importSource + "/jsx-runtime", line: pragmas.importSourceLine };
  }
  // the lexer costs about as much as the transform: skip it when nothing can be imported or re-exported
  if (!code.includes("import") && !code.includes("from")) return JSON.stringify(result);
  try {
    const [found] = parse(code, name);
    result.imports = found
      .filter((i) => i.type !== "import-meta" && typeof i.specifier === "string")
      .map((i) => ({ specifier: i.specifier, dynamic: i.type === "dynamic" }));
  } catch (e) {
    // the lexer refuses what GraalJS will refuse too; the syntax check reports it with its position
  }
  return JSON.stringify(result);
};

/**
 * Lists where a package file's module specifiers sit, so the host can point each at the locked file it
 * means (package files are served as they are, with only their specifiers rewritten).
 *
 * @param {string} source a JavaScript file of an npm package
 * @returns {string} JSON: {ok: true, esm, imports: [{start, end, specifier, dynamic}]} where start..end is the
 *   specifier's text (for a dynamic import: the argument, quotes included) and esm tells whether the file uses
 *   import/export syntax; or {ok: false, message} when the lexer cannot read it
 */
globalThis.valenceLex = function valenceLex(source) {
  try {
    const [found, , , hasModuleSyntax] = parse(source);
    const imports = found
      .filter((i) => i.type !== "import-meta" && typeof i.specifier === "string" && !i.glob && !i.typeOnly)
      .map((i) => ({ start: i.start, end: i.end, specifier: i.specifier, dynamic: i.type === "dynamic" }));
    return JSON.stringify({ ok: true, esm: hasModuleSyntax === true, imports });
  } catch (e) {
    return JSON.stringify({ ok: false, message: String(e && e.message ? e.message : e) });
  }
};
