// Builds the compiler bundles for GraalJS: node build.mjs <outDir> -> <outDir>/ts.js and <outDir>/ts-babel.js.
// Each is one classic script (esbuild IIFE, ES2022, minified): ts.js defines globalThis.valenceCompile and is
// loaded into every compiler context; ts-babel.js defines globalThis.valenceBabel and is loaded on first need.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node build.mjs <outDir>");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const common = { bundle: true, format: "iife", target: "es2022", minify: true, legalComments: "eof", logLevel: "warning" };
await build({
  ...common,
  entryPoints: [path.join(here, "entry.js")],
  outfile: path.join(outDir, "ts.js"),
  platform: "neutral",
  mainFields: ["module", "main"],
});
// Babel's browser build still imports two Node modules: node:assert (a shim) and node:path (path-browserify).
// Its parser is the one ts.js carries (shims/babel-parser.js).
const nodeShims = {
  name: "node-shims",
  setup(b) {
    b.onResolve({ filter: /^@babel\/parser$/ }, () => ({ path: path.join(here, "shims/babel-parser.js") }));
    b.onResolve({ filter: /^node:assert$/ }, () => ({ path: path.join(here, "shims/assert.js") }));
    b.onResolve({ filter: /^node:path$/ }, () => ({ path: path.join(here, "node_modules/path-browserify/index.js") }));
  },
};
await build({
  ...common,
  entryPoints: [path.join(here, "babel-entry.js")],
  outfile: path.join(outDir, "ts-babel.js"),
  platform: "browser",
  plugins: [nodeShims],
  // Babel reads process.env and process.cwd() here and there; a compiler context has no process
  banner: { js: 'var process=globalThis.process||{env:{},cwd:function(){return"/"}};' },
});
