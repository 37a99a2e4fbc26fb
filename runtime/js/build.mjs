// Builds the self-contained WHATWG URL bundle for GraalJS.
//
//   node build.mjs <outDir>      -> writes <outDir>/url.js, web.js, urlpattern.js and node/{buffer,events,stream,string_decoder}.js
//   node build.mjs <outDir> --analyze   (also prints what the bytes are made of)
//
// The output is a single classic script (esbuild IIFE, ES2022, minified) that,
// evaluated in a bare ECMAScript engine, defines globalThis.URL and
// globalThis.URLSearchParams and nothing else. The dependencies' uses of
// non-ECMAScript or post-ES2022 globals are replaced at bundle time:
//
//  * whatwg-url/lib/encoding.js (global TextEncoder/TextDecoder)
//      -> shims/utf8.js (private UTF-8 encode/decode)
//  * @exodus/bytes/whatwg.js (percentEncodeAfterEncoding; probes TextDecoder,
//    Buffer, ...) -> shims/percent-encode-after-encoding.js (UTF-8 only)
//  * @exodus/bytes/encoding.js (side-effect import of legacy multi-byte
//    encodings for HTML documents) -> empty module
//  * webidl-conversions and whatwg-url/lib/utils.js read
//    SharedArrayBuffer.prototype and the ES2024 ArrayBuffer "resizable" /
//    SharedArrayBuffer "growable" getters at load time, and USVString uses the
//    ES2024 String.prototype.toWellFormed -> patched to guarded/private code.
//
// Every patch is an exact text replacement that must match; the build fails
// loudly if a dependency update changes the patched code.
import { analyzeMetafile, build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const shimDir = path.join(here, "shims");

const outDir = process.argv[2];
const analyze = process.argv.includes("--analyze");
if (!outDir || outDir.startsWith("--")) {
  console.error("usage: node build.mjs <outDir> [--analyze]");
  process.exit(2);
}

const sep = String.raw`[\\/]`;
const modulePath = (...parts) => new RegExp(`${sep}node_modules${sep}${parts.join(sep)}$`.replaceAll(".", "\\."));

// Guarded replacements for load-time reads of optional / post-ES2022 builtins.
// An undefined getter makes the library's own try { getter.call(x) } catch
// helpers answer "not a SharedArrayBuffer" / "not resizable".
const SAB_BYTELENGTH_FROM = `Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get`;
const SAB_BYTELENGTH_TO = `(typeof SharedArrayBuffer === "function" ? ` +
  `Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength") : {}).get`;

const patches = [
  {
    file: modulePath("webidl-conversions", "lib", "index.js"),
    edits: [
      [SAB_BYTELENGTH_FROM, SAB_BYTELENGTH_TO],
      [
        `Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable").get`,
        `(Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable") || {}).get`
      ],
      [
        `Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "growable").get`,
        `((typeof SharedArrayBuffer === "function" && ` +
          `Object.getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "growable")) || {}).get`
      ],
      [
        `return exports.DOMString(value, options).toWellFormed();`,
        `return valenceToWellFormed(exports.DOMString(value, options));`
      ]
    ],
    // String.prototype.toWellFormed is ES2024: replace lone surrogates with U+FFFD privately.
    append: `
function valenceToWellFormed(s) {
  if (!/[\\uD800-\\uDFFF]/.test(s)) {
    return s;
  }
  return s.replace(/[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/g, "\\uFFFD");
}
`
  },
  {
    file: modulePath("whatwg-url", "lib", "utils.js"),
    edits: [[SAB_BYTELENGTH_FROM, SAB_BYTELENGTH_TO]]
  },
  {
    // new URL(string) without a base: a copy of a recent parse of the same string (see the append)
    file: modulePath("whatwg-url", "lib", "URL-impl.js"),
    edits: [[
      "throw new TypeError(`Invalid base URL: ${base}`);\n      }\n    }\n\n    const parsedURL = usm.basicURLParse(url, { baseURL: parsedBase });",
      "throw new TypeError(`Invalid base URL: ${base}`);\n      }\n    }\n\n    const parsedURL = valenceParse(url, parsedBase);"
    ]],
    // basicURLParse of a string without a base is a pure function of the string, and the parser is the
    // costliest part of new URL on GraalJS: a val that parses the same URLs again and again (its request
    // URL on a hot path, a fixed endpoint) gets a copy of the record instead. Only short strings are kept,
    // at most 256 per context, and the kept records are never handed out (only copies are).
    append: `
const valenceParsed = new Map();
function valenceParse(url, parsedBase) {
  if (parsedBase !== null || url.length > 2048) {
    return usm.basicURLParse(url, { baseURL: parsedBase });
  }
  let record = valenceParsed.get(url);
  if (record === undefined) {
    record = usm.basicURLParse(url, { baseURL: null });
    if (record === null) {
      return null;
    }
    if (valenceParsed.size >= 256) {
      valenceParsed.delete(valenceParsed.keys().next().value);
    }
    valenceParsed.set(url, record);
  }
  return {
    scheme: record.scheme,
    username: record.username,
    password: record.password,
    host: Array.isArray(record.host) ? record.host.slice() : record.host,
    port: record.port,
    path: Array.isArray(record.path) ? record.path.slice() : record.path,
    query: record.query,
    fragment: record.fragment
  };
}
`
  }
];

const valenceShims = {
  name: "valence-shims",
  setup(b) {
    b.onResolve({ filter: /^@exodus\/bytes\/whatwg\.js$/ }, () => ({
      path: path.join(shimDir, "percent-encode-after-encoding.js")
    }));
    b.onResolve({ filter: /^@exodus\/bytes\/encoding\.js$/ }, args => ({
      path: args.path,
      namespace: "valence-empty"
    }));
    b.onResolve({ filter: /^@exodus\// }, args => ({
      errors: [{ text: `unexpected import of ${args.path} from ${args.importer}: update build.mjs shims` }]
    }));
    b.onLoad({ filter: /.*/, namespace: "valence-empty" }, () => ({ contents: "", loader: "js" }));

    b.onResolve({ filter: /^\.\/encoding(\.js)?$/ }, args => {
      if (modulePath("whatwg-url", "lib").test(args.resolveDir)) {
        return { path: path.join(shimDir, "utf8.js") };
      }
      return undefined;
    });

    for (const patch of patches) {
      b.onLoad({ filter: patch.file }, args => {
        let contents = readFileSync(args.path, "utf8");
        for (const [from, to] of patch.edits) {
          const count = contents.split(from).length - 1;
          if (count !== 1) {
            return {
              errors: [{ text: `patch for ${args.path} expected 1 match of ${JSON.stringify(from)}, found ${count}` }]
            };
          }
          contents = contents.replace(from, () => to);
        }
        return { contents: contents + (patch.append || ""), loader: "js" };
      });
    }
  }
};

// Host globals the bundle must not use. esbuild's `define` rewrites only real
// references to free (global) identifiers -- not strings, properties or local
// bindings -- so any sentinel left in the output is a genuine use.
const FORBIDDEN_GLOBALS = [
  "process", "Buffer", "global", "window", "self", "document", "navigator", "location",
  "TextEncoder", "TextDecoder", "structuredClone", "atob", "btoa", "setTimeout", "setInterval",
  "setImmediate", "queueMicrotask", "console", "Deno", "Bun", "__filename", "__dirname"
];
const SENTINEL = "__valence_forbidden_global_";
const define = {};
for (const name of FORBIDDEN_GLOBALS) {
  define[name] = SENTINEL + name;
  define[`globalThis.${name}`] = SENTINEL + name;
}

// What every bundle evaluated in a context is built with: one self-contained ES2022 script, ASCII only.
const BUNDLE = {
  absWorkingDir: here,
  bundle: true,
  write: false,
  format: "iife",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  minify: true,
  // Keep Function.prototype.name intact (URL.name === "URL", readable stack traces); ~1% size.
  keepNames: true,
  legalComments: "eof",
  charset: "ascii",
  logLevel: "warning",
};

const result = await build({
  ...BUNDLE,
  entryPoints: [path.join(here, "url-entry.js")],
  outfile: "url.js",
  metafile: true,
  define,
  plugins: [valenceShims]
});

// Which packages went in (for the license banner and as a sanity check).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m && !packages.has(m[1])) {
    const pkg = JSON.parse(readFileSync(path.join(here, "node_modules", m[1], "package.json"), "utf8"));
    packages.set(m[1], `${pkg.name}@${pkg.version} (${pkg.license})`);
  }
}
if ([...packages.keys()].some(name => name.startsWith("@exodus/"))) {
  throw new Error("@exodus/bytes leaked into the bundle; check the shims in build.mjs");
}

let code = result.outputFiles[0].text;

const used = [...new Set(code.match(new RegExp(`${SENTINEL}\\w+`, "g")) || [])];
if (used.length > 0) {
  throw new Error(`bundle references host globals: ${used.map(u => u.slice(SENTINEL.length)).join(", ")}`);
}
// Every require() must have been bundled: esbuild's fallback helper would probe a global `require`.
if (/\b__require\b|typeof require\b/.test(code)) {
  throw new Error("bundle contains an unresolved require()");
}
// ES2024 string method replaced by a private helper (see patches above).
if (/\.toWellFormed\b/.test(code)) {
  throw new Error("bundle still calls String.prototype.toWellFormed");
}

const banner = `/*! Valence URL bundle: WHATWG URL + URLSearchParams for bare ECMAScript engines. ` +
  `Built from ${[...packages.values()].sort().join(", ")}. See runtime/js/README.md. */\n`;
code = banner + code;

mkdirSync(outDir, { recursive: true });
const outFile = path.join(outDir, "url.js");
writeFileSync(outFile, code);
if (analyze) {
  console.log(await analyzeMetafile(result.metafile));
}
console.log(`wrote ${outFile} (${Buffer.byteLength(code)} bytes)`);

// The web bundle: WHATWG Streams (web-streams-polyfill). The polyfill only probes optional globals
// with typeof (queueMicrotask, structuredClone, AbortController), which the prelude defines.
const web = await build({
  ...BUNDLE,
  entryPoints: [path.join(here, "web-entry.js")],
  outfile: "web.js"
});
let webCode = web.outputFiles[0].text;
if (/\b__require\b|typeof require\b/.test(webCode)) {
  throw new Error("web bundle contains an unresolved require()");
}
const streamsVersion = JSON.parse(readFileSync(path.join(here, "node_modules", "web-streams-polyfill", "package.json"), "utf8")).version;
webCode = `/*! Valence web bundle: WHATWG Streams from web-streams-polyfill@${streamsVersion} (MIT). See runtime/js/README.md. */\n` + webCode;
const webFile = path.join(outDir, "web.js");
writeFileSync(webFile, webCode);
console.log(`wrote ${webFile} (${Buffer.byteLength(webCode)} bytes)`);

// The URLPattern bundle, loaded on first use; free of host globals, like url.js.
async function lazyBundle(entry, outName, options, header) {
  const built = await build({
    ...BUNDLE,
    entryPoints: [path.join(here, entry)],
    outfile: outName,
    metafile: true,
    define,
    ...options
  });
  let text = built.outputFiles[0].text;
  const leaked = [...new Set(text.match(new RegExp(`${SENTINEL}\\w+`, "g")) || [])];
  if (leaked.length > 0) {
    throw new Error(`${outName} references host globals: ${leaked.map(u => u.slice(SENTINEL.length)).join(", ")}`);
  }
  if (/\b__require\b|typeof require\b/.test(text)) {
    throw new Error(`${outName} contains an unresolved require()`);
  }
  const versions = new Map();
  for (const input of Object.keys(built.metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m && !versions.has(m[1])) {
      const pkg = JSON.parse(readFileSync(path.join(here, "node_modules", m[1], "package.json"), "utf8"));
      versions.set(m[1], `${pkg.name}@${pkg.version} (${pkg.license})`);
    }
  }
  text = `/*! Valence ${header}: built from ${[...versions.values()].sort().join(", ")}. See runtime/js/README.md. */\n` + text;
  const file = path.join(outDir, outName);
  writeFileSync(file, text);
  console.log(`wrote ${file} (${Buffer.byteLength(text)} bytes)`);
}

await lazyBundle("urlpattern-entry.js", "urlpattern.js", {}, "URLPattern bundle");

// The node: built-ins packages import (js/node/<name>.js, served at /node/<name>.mjs): ES modules bundled from the
// field's userland copies of Node's modules. Each is bundled on its own; when one library requires another's module
// (readable-stream requires buffer, events, string_decoder and process), the require is pointed at the served
// built-in, so a val's packages and the stream code share one Buffer, one EventEmitter and one process.
const NODE_SHARED = {
  // specifier as the libraries require it -> [served module, whether require() gives its default export]
  "buffer": ["buffer", false],
  "events": ["events", true],
  "string_decoder/": ["string_decoder", false],
  "process/": ["process", true]
};
const bufferPatches = {
  file: modulePath("buffer", "index.js"),
  // Node's base64url encoding (Node 15+), and equals() taking any Uint8Array as Node's does.
  edits: [
    ["    case 'base64':\n    case 'ucs2':", "    case 'base64':\n    case 'base64url':\n    case 'ucs2':"],
    ["      case 'base64':\n        return base64ToBytes(string).length",
      "      case 'base64':\n      case 'base64url':\n        return base64ToBytes(string).length"],
    ["      case 'base64':\n        return base64Slice(this, start, end)",
      "      case 'base64':\n        return base64Slice(this, start, end)\n\n      case 'base64url':\n" +
        "        return base64Slice(this, start, end).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')"],
    ["      case 'base64':\n        // Warning: maxLength not taken into account in base64Write",
      "      case 'base64':\n      case 'base64url':\n        // Warning: maxLength not taken into account in base64Write"],
    ["if (!Buffer.isBuffer(b)) throw new TypeError('Argument must be a Buffer')",
      "if (!Buffer.isBuffer(b) && !isInstance(b, Uint8Array)) " +
        "throw new TypeError('The \"otherBuffer\" argument must be an instance of Buffer or Uint8Array')"]
  ]
};

function exactPatch(patch) {
  return (b) => b.onLoad({ filter: patch.file }, args => {
    let contents = readFileSync(args.path, "utf8");
    for (const [from, to] of patch.edits) {
      const count = contents.split(from).length - 1;
      if (count !== 1) {
        return { errors: [{ text: `patch for ${args.path} expected 1 match of ${JSON.stringify(from)}, found ${count}` }] };
      }
      contents = contents.replace(from, () => to);
    }
    return { contents, loader: "js" };
  });
}

function nodeShared(name, shared) {
  return {
    name: "valence-node-shared",
    setup(b) {
      b.onResolve({ filter: /^\/node\/\w+\.mjs$/ }, args => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^[\w/]+$/ }, args => {
        if (!Object.hasOwn(shared, args.path) || !args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        return { path: args.path, namespace: "valence-node-cjs" };
      });
      // readable-stream falls back to the abort-controller package only where AbortController is missing; the prelude has it
      b.onResolve({ filter: /^abort-controller$/ }, () => ({ path: "abort-controller", namespace: "valence-node-global" }));
      b.onLoad({ filter: /.*/, namespace: "valence-node-global" }, () => ({
        contents: "module.exports = { AbortController: globalThis.AbortController, AbortSignal: globalThis.AbortSignal };",
        loader: "js"
      }));
      b.onResolve({ filter: /^valence-node-esm:/ }, args => ({ path: args.path.slice("valence-node-esm:".length), namespace: "valence-node-esm" }));
      b.onLoad({ filter: /.*/, namespace: "valence-node-cjs" }, args => {
        const [module, useDefault] = shared[args.path];
        return { contents: `module.exports = require("valence-node-esm:${module}").default${useDefault ? ".default" : ""};`, loader: "js" };
      });
      b.onLoad({ filter: /.*/, namespace: "valence-node-esm" }, args => ({
        contents: `import * as served from "/node/${args.path}.mjs"; export default served;`,
        loader: "js"
      }));
      if (name === "buffer") exactPatch(bufferPatches)(b);
    }
  };
}

// Globals the node: built-ins may use at run time: the prelude defines them in every context.
const NODE_ALLOWED = new Set(["queueMicrotask", "setTimeout", "atob", "btoa", "TextEncoder", "TextDecoder", "console"]);
const nodeDefine = Object.fromEntries(Object.entries(define).filter(([key]) => !NODE_ALLOWED.has(key.replace(/^globalThis\./, ""))));

for (const name of ["buffer", "events", "string_decoder", "stream"]) {
  const shared = Object.fromEntries(Object.entries(NODE_SHARED).filter(([, [module]]) => module !== name));
  const built = await build({
    ...BUNDLE,
    format: "esm",
    entryPoints: [path.join(here, "node", `${name}.js`)],
    outfile: `${name}.js`,
    metafile: true,
    define: nodeDefine,
    plugins: [nodeShared(name, shared)]
  });
  let text = built.outputFiles[0].text;
  const leaked = [...new Set(text.match(new RegExp(`${SENTINEL}\\w+`, "g")) || [])];
  if (leaked.length > 0) {
    throw new Error(`node/${name}.js references host globals: ${leaked.map(u => u.slice(SENTINEL.length)).join(", ")}`);
  }
  if (/\b__require\b|typeof require\b/.test(text)) {
    throw new Error(`node/${name}.js contains an unresolved require()`);
  }
  const versions = new Map();
  for (const input of Object.keys(built.metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m && !versions.has(m[1])) {
      const pkg = JSON.parse(readFileSync(path.join(here, "node_modules", m[1], "package.json"), "utf8"));
      versions.set(m[1], `${pkg.name}@${pkg.version} (${pkg.license})`);
    }
  }
  text = `/*! Valence node:${name}: built from ${[...versions.values()].sort().join(", ")}. See runtime/js/README.md. */\n` + text;
  mkdirSync(path.join(outDir, "node"), { recursive: true });
  const file = path.join(outDir, "node", `${name}.js`);
  writeFileSync(file, text);
  console.log(`wrote ${file} (${Buffer.byteLength(text)} bytes)`);
}
