// The TypeScript compiler of the platform: strips types with Sucrase (which keeps every line where it
// was, so stack traces point at the source the author wrote) and lists the module specifiers the
// compiled module imports (es-module-lexer's pure-JS build), so the runtime can resolve them first.
// When Sucrase refuses the code, Babel's parser (whose errors point at the offending token, where
// Sucrase's sometimes point at the start of an enclosing arrow function) names the position.
import { parse as babelParse } from "@babel/parser";
import { transform } from "sucrase";
import { parse } from "es-module-lexer/js";

/**
 * @param {string} source the val's code as saved (TypeScript or JavaScript)
 * @param {string} name the val's name, used in messages
 * @returns {string} JSON: {ok: true, code, imports: [{specifier, dynamic}]} or {ok: false, message, line, column}
 */
globalThis.valenceCompile = function valenceCompile(source, name) {
  let code;
  try {
    code = transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true,
      preserveDynamicImport: true,
      filePath: name,
    }).code;
  } catch (e) {
    try {
      babelParse(source, { sourceType: "module", plugins: ["typescript"], allowAwaitOutsideFunction: true });
    } catch (precise) {
      if (precise.loc) {
        const message = String(precise.message).replace(/\s*\(\d+:\d+\)$/, "");
        return JSON.stringify({ ok: false, message, line: precise.loc.line, column: precise.loc.column + 1 });
      }
    }
    const loc = e.loc || null;
    const message = String(e.message || e).replace(/^Error transforming [^:]*: /, "").replace(/\s*\(\d+:\d+\)$/, "");
    return JSON.stringify({ ok: false, message, line: loc ? loc.line : 0, column: loc ? loc.column : 0 });
  }
  let imports = [];
  // the lexer costs about as much as the transform: skip it when nothing can be imported or re-exported
  if (!code.includes("import") && !code.includes("from")) return JSON.stringify({ ok: true, code, imports });
  try {
    const [found] = parse(code, name);
    imports = found
      .filter((i) => i.type !== "import-meta" && typeof i.specifier === "string")
      .map((i) => ({ specifier: i.specifier, dynamic: i.type === "dynamic" }));
  } catch (e) {
    // the lexer refuses what GraalJS will refuse too; the syntax check reports it with its position
  }
  return JSON.stringify({ ok: true, code, imports });
};
