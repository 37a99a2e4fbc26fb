// Builds the TypeScript compiler bundle for GraalJS: node build.mjs <outDir> -> <outDir>/ts.js
// One classic script (esbuild IIFE, ES2022, minified) that defines globalThis.valenceCompile.
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
await build({
  entryPoints: [path.join(here, "entry.js")],
  outfile: path.join(outDir, "ts.js"),
  bundle: true,
  format: "iife",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
});
