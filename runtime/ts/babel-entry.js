// The fallback compiler for what Sucrase cannot do: runtime namespaces and decorators. Loaded into a
// compiler context only when a val first needs it (it is ten times Sucrase's size and slower), then
// called by entry.js. Decorators are TC39's (version 2023-11, what TypeScript 5 and Deno 2 implement by
// default); a val has no tsconfig, so there is no switch to legacy `experimentalDecorators`.
// retainLines keeps every statement on the line it was written on; Babel's helpers go on the first line.
import { transformSync } from "@babel/core";
import decorators from "@babel/plugin-proposal-decorators";
import reactJsx from "@babel/plugin-transform-react-jsx";
import typescript from "@babel/plugin-transform-typescript";

/**
 * @param {string} source the val's code as saved
 * @param {string} name the val's name, used in messages
 * @param {object|null} jsx null for .ts; for .tsx {runtime: "classic", pragma, pragmaFrag} or {runtime: "automatic", importSource}
 * @returns {string} the compiled JavaScript; throws Babel's error (with loc when it has one)
 */
globalThis.valenceBabel = function valenceBabel(source, name, jsx) {
  const pragma = jsx && jsx.runtime === "classic" ? jsx.pragma : "React.createElement";
  const pragmaFrag = jsx && jsx.runtime === "classic" ? jsx.pragmaFrag : "React.Fragment";
  const plugins = [
    [decorators, { version: "2023-11" }],
    // the pragmas keep an import used only by JSX (import { h } from ...) from being elided as type-only
    [typescript, { isTSX: jsx !== null, allowNamespaces: true, jsxPragma: pragma, jsxPragmaFrag: pragmaFrag }],
  ];
  if (jsx) plugins.push([reactJsx, jsx.runtime === "automatic" ? { runtime: "automatic", importSource: jsx.importSource } : { runtime: "classic", pragma, pragmaFrag }]);
  return transformSync(source, {
    filename: "/" + name.replace(/[^\w.@-]/g, "_") + (jsx ? ".tsx" : ".ts"),
    cwd: "/",
    babelrc: false,
    configFile: false,
    browserslistConfigFile: false,
    sourceType: "module",
    retainLines: true,
    plugins,
  }).code;
};
