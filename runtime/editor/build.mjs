// Builds the web editor served by the runtime at /:
//
//   node build.mjs <outDir>   -> <outDir>/index.html, app.js, app.css
//
// One ES2022 bundle (CodeMirror 6 and the editor's own modules) and one stylesheet, both loaded
// from the runtime's own origin: the page's Content-Security-Policy allows no inline script or style
// and nothing from elsewhere, so nothing here may need a CDN at run time.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
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
  entryPoints: [path.join(here, "src", "main.js")],
  outfile: path.join(outDir, "app.js"),
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync(path.join(here, "src", "index.html"), path.join(outDir, "index.html"));
copyFileSync(path.join(here, "src", "app.css"), path.join(outDir, "app.css"));
