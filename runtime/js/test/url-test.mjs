// Tests the Valence URL bundle in bare ECMAScript contexts.
//
//   node test/url-test.mjs <bundle.js> [urltestdata.json]
//
// The bundle is evaluated as a classic script in fresh `vm` contexts, which
// have the ECMAScript built-ins but none of Node's or a browser's globals (no
// URL, TextEncoder, Buffer, process, require), like GraalJS. It runs twice:
//
//   "bare"   a plain vm.createContext({}).
//   "es2022" the same, with post-ES2022 built-ins (String.prototype.toWellFormed,
//            resizable ArrayBuffers, Array.prototype.findLast, ...) and
//            SharedArrayBuffer/Atomics/WebAssembly/console removed first, and
//            every global lookup the bundle makes traced; the traced names must
//            all be ECMAScript 2022 globals.
//
// In each context it checks the globals the bundle defines, a set of URL and
// URLSearchParams behaviours, the bundle's private UTF-8 code against Node's
// own URLSearchParams on random input, and -- when a copy of the web-platform-tests
// url/resources/urltestdata.json is given as the second argument or in the
// URLTESTDATA environment variable -- every case in it (href, protocol,
// username, password, host, hostname, port, pathname, search, hash, plus
// origin/searchParams where the data has them; `failure` cases must throw a
// TypeError and URL.canParse must return false). No npm package we know
// of ships that file, so it is optional. The last line is
// "N passed, M failed"; the exit code is 1 if anything failed.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const [bundlePath, dataArg] = process.argv.slice(2);
if (!bundlePath) {
  console.error("usage: node test/url-test.mjs <bundle.js> [urltestdata.json]");
  process.exit(2);
}
const dataPath = dataArg || process.env.URLTESTDATA || "";
const bundleSource = readFileSync(bundlePath, "utf8");
const wptCases = dataPath ?
  JSON.parse(readFileSync(dataPath, "utf8")).filter(c => typeof c === "object" && c !== null) :
  null;

// Every global of ECMAScript 2022 (ECMA-262 section 19 plus Annex B's
// escape/unescape) and ECMA-402's Intl.
const ES2022_GLOBALS = new Set([
  "globalThis", "Infinity", "NaN", "undefined", "eval", "isFinite", "isNaN", "parseFloat", "parseInt",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
  "AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean",
  "DataView", "Date", "Error", "EvalError", "FinalizationRegistry", "Float32Array", "Float64Array", "Function",
  "Int8Array", "Int16Array", "Int32Array", "Map", "Number", "Object", "Promise", "Proxy", "RangeError",
  "ReferenceError", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol", "SyntaxError", "TypeError",
  "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "URIError", "WeakMap", "WeakRef", "WeakSet",
  "JSON", "Math", "Reflect", "Intl"
]);

// Removes built-ins newer than ES2022 (whichever this Node has) and the
// optional/host ones, so that any use of them by the bundle fails.
const STRIP_TO_ES2022 = `(() => {
  const del = (obj, names) => { for (const n of names) { if (obj) delete obj[n]; } };
  del(String.prototype, ["isWellFormed", "toWellFormed"]);
  del(Array.prototype, ["findLast", "findLastIndex", "toReversed", "toSorted", "toSpliced", "with"]);
  del(Object.getPrototypeOf(Uint8Array).prototype,
    ["findLast", "findLastIndex", "toReversed", "toSorted", "with", "setFromBase64", "setFromHex", "toBase64", "toHex"]);
  del(ArrayBuffer.prototype, ["resizable", "maxByteLength", "resize", "transfer", "transferToFixedLength", "detached"]);
  del(ArrayBuffer, ["fromBase64", "fromHex"]);
  del(Uint8Array, ["fromBase64", "fromHex"]);
  del(Object, ["groupBy"]);
  del(Map, ["groupBy"]);
  del(Promise, ["withResolvers", "try"]);
  del(Array, ["fromAsync"]);
  del(Set.prototype, ["union", "intersection", "difference", "symmetricDifference", "isSubsetOf",
    "isSupersetOf", "isDisjointFrom"]);
  del(RegExp, ["escape"]);
  del(Math, ["sumPrecise", "f16round"]);
  del(globalThis, ["SharedArrayBuffer", "Atomics", "WebAssembly", "console", "Iterator", "Float16Array"]);
})();`;

let passed = 0;
let failed = 0;
const failures = [];

function check(name, fn) {
  let result;
  try {
    result = fn();
  } catch (e) {
    result = `threw ${e && e.stack ? e.stack.split("\n")[0] : e}`;
  }
  if (result === true) {
    passed++;
  } else {
    failed++;
    failures.push(`${name}: ${result}`);
  }
}

function eq(actual, expected) {
  return actual === expected || `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

// Builds a context, loads the bundle into it, and returns what the tests need.
function loadBundle({ strip, trace }) {
  const ctx = vm.createContext({});
  const run = code => vm.runInContext(code, ctx);
  if (strip) {
    run(STRIP_TO_ES2022);
  }

  check(`[${strip ? "es2022" : "bare"}] context has no host globals before loading`, () => {
    const present = run(`["URL", "URLSearchParams", "TextEncoder", "TextDecoder", "Buffer", "process", "require",
      "window", "self", "global", "structuredClone", "setTimeout", "queueMicrotask"]
      .filter(n => typeof globalThis[n] !== "undefined")`);
    return present.length === 0 || `present: ${present.join(", ")}`;
  });

  const namesBefore = run("Reflect.ownKeys(globalThis).map(String)");

  let traced = null;
  if (trace) {
    // Load the bundle inside `with (proxy) { ... }`: every free identifier the
    // bundle resolves -- at load time and later, inside its functions, at use
    // time -- asks the proxy's `has` trap first, which records the name.
    traced = run(`(() => {
      const seen = new Set();
      const g = globalThis;
      const tracer = new Proxy(Object.create(null), {
        has(t, key) {
          if (typeof key !== "string") return false;
          seen.add(key);
          return key in g;
        },
        get(t, key) {
          return typeof key === "string" ? g[key] : undefined;
        },
        set(t, key, value) {
          g[key] = value;
          return true;
        }
      });
      Object.defineProperty(g, "__valenceTracer", { value: tracer, configurable: true });
      return seen;
    })()`);
    new vm.Script(`with (__valenceTracer) {\n${bundleSource}\n}`, { filename: bundlePath }).runInContext(ctx);
    run(`delete globalThis.__valenceTracer`);
  } else {
    new vm.Script(bundleSource, { filename: bundlePath }).runInContext(ctx);
  }

  return { ctx, run, namesBefore, traced };
}

function globalChecks(label, { run, namesBefore }) {
  check(`[${label}] bundle adds exactly URL and URLSearchParams to globalThis`, () => {
    const after = run("Reflect.ownKeys(globalThis).map(String)");
    const added = after.filter(n => !namesBefore.includes(n));
    const removed = namesBefore.filter(n => !after.includes(n));
    return eq(JSON.stringify({ added: added.sort(), removed }),
      JSON.stringify({ added: ["URL", "URLSearchParams"], removed: [] }));
  });
  for (const name of ["URL", "URLSearchParams"]) {
    check(`[${label}] globalThis.${name} is a writable, configurable, non-enumerable function`, () => {
      const d = run(`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, "${name}");
        return d && [typeof d.value, d.writable, d.enumerable, d.configurable, d.value.name].join(); })()`);
      return eq(d, `function,true,false,true,${name}`);
    });
  }
}

// A named list of [description, expression-that-must-be-true] run in the context.
const API_CHECKS = [
  ["URL basics", `(() => {
    const u = new URL("HTTPS://user:pa%20ss@EXAMPLE.com:443/a/./b/../c?x=1#frag");
    return u.href === "https://user:pa%20ss@example.com/a/c?x=1#frag" && u.origin === "https://example.com" &&
      u.port === "" && u.pathname === "/a/c" && String(u) === u.href && u.toJSON() === u.href &&
      JSON.stringify({ u }) === '{"u":"https://user:pa%20ss@example.com/a/c?x=1#frag"}' &&
      Object.prototype.toString.call(u) === "[object URL]";
  })()`],
  ["relative resolution", `new URL("../d?q#h", "http://h.test/a/b/c").href === "http://h.test/a/d?q#h"`],
  ["invalid URL throws TypeError", `(() => { try { new URL("no scheme"); return false; }
    catch (e) { return e instanceof TypeError; } })()`],
  ["URL.canParse / URL.parse", `URL.canParse("https://a.b/") === true && URL.canParse("x") === false &&
    URL.canParse("x", "https://a.b/") === true && URL.parse("nope") === null &&
    URL.parse("/p", "https://a.b/q").href === "https://a.b/p"`],
  ["IDNA: unicode host to punycode", `new URL("https://M\\u00fcnchen.DE/").hostname === "xn--mnchen-3ya.de" &&
    new URL("https://xn--mnchen-3ya.de/").host === "xn--mnchen-3ya.de" &&
    new URL("http://\\u2603.example/").host === "xn--n3h.example"`],
  ["IDNA: invalid host rejected", `!URL.canParse("https://xn--a.com/") && !URL.canParse("https://a\\u0000b.com/")`],
  ["IPv4/IPv6 hosts", `new URL("http://0x7f.1/").host === "127.0.0.1" &&
    new URL("http://[0:0:0:0:0:0:0:1]:8080/").host === "[::1]:8080"`],
  ["percent-encoding of non-ASCII path/query/fragment", `(() => {
    const u = new URL("https://ex.com/\\u00e4 b?\\u00f6 c'#\\u00fc d");
    return u.pathname === "/%C3%A4%20b" && u.search === "?%C3%B6%20c%27" && u.hash === "#%C3%BC%20d";
  })()`],
  ["lone surrogates become U+FFFD", `new URL("https://ex.com/\\ud800?\\udfff#\\ud83d").href ===
    "https://ex.com/%EF%BF%BD?%EF%BF%BD#%EF%BF%BD"`],
  ["astral characters are UTF-8 encoded", `new URL("https://ex.com/\\ud83d\\ude00").pathname === "/%F0%9F%98%80"`],
  ["setters", `(() => {
    const u = new URL("http://a.test/p?q#h");
    u.protocol = "https"; u.username = "us er"; u.password = "p@ss"; u.hostname = "B.test"; u.port = "8443";
    u.pathname = "x y"; u.search = "a=b c"; u.hash = "z";
    return u.href === "https://us%20er:p%40ss@b.test:8443/x%20y?a=b%20c#z";
  })()`],
  ["non-special and opaque-path URLs", `new URL("mailto:Someone@Example.com").pathname === "Someone@Example.com" &&
    new URL("data:text/plain,hi there").href === "data:text/plain,hi there" &&
    new URL("foo://Host/p").host === "Host" && new URL("file:///C:/x/../y").href === "file:///C:/y"`],
  ["URLSearchParams append/get/getAll/has", `(() => {
    const p = new URLSearchParams("a=1&b=2&a=3");
    return p.get("a") === "1" && p.getAll("a").join() === "1,3" && p.has("b") && !p.has("c") &&
      p.get("c") === null && p.size === 3;
  })()`],
  ["URLSearchParams toString with spaces and unicode", `(() => {
    const p = new URLSearchParams();
    p.append("q", "hello world");
    p.append("u", "\\u00e9\\ud83d\\ude42");
    p.append("sym", "a+b&c=d/~*!'()");
    return p.toString() === "q=hello+world&u=%C3%A9%F0%9F%99%82&sym=a%2Bb%26c%3Dd%2F%7E*%21%27%28%29";
  })()`],
  ["URLSearchParams parsing decodes + and percent escapes", `(() => {
    const p = new URLSearchParams("?x=%F0%9F%99%82+y&z=%zz&bad=%C3&e=&=v&k");
    return p.get("x") === "\\ud83d\\ude42 y" && p.get("z") === "%zz" && p.get("bad") === "\\ufffd" &&
      p.get("e") === "" && p.get("") === "v" && p.get("k") === "";
  })()`],
  ["URLSearchParams lone surrogate serializes as U+FFFD", `new URLSearchParams([["a", "\\ud800"]]).toString() === "a=%EF%BF%BD"`],
  ["URLSearchParams sort is stable by UTF-16 code units", `(() => {
    const p = new URLSearchParams("c=3&a=2&b=1&a=1&\\ufb03=x&\\ud83c\\udf08=y");
    p.sort();
    return p.toString() === "a=2&a=1&b=1&c=3&%F0%9F%8C%88=y&%EF%AC%83=x";
  })()`],
  ["URLSearchParams iteration", `(() => {
    const p = new URLSearchParams({ a: "1", b: "x y" });
    const viaForEach = [];
    p.forEach((v, k) => viaForEach.push(k + ":" + v));
    return JSON.stringify([...p]) === '[["a","1"],["b","x y"]]' && [...p.keys()].join() === "a,b" &&
      [...p.values()].join() === "1,x y" && JSON.stringify([...p.entries()]) === JSON.stringify([...p]) &&
      viaForEach.join() === "a:1,b:x y" && p[Symbol.iterator] === p.entries &&
      Object.prototype.toString.call(p.keys()) === "[object URLSearchParams Iterator]";
  })()`],
  ["URLSearchParams set/delete", `(() => {
    const p = new URLSearchParams([["a", "1"], ["a", "2"], ["b", "3"]]);
    p.set("a", "9"); p.delete("b", "4"); const kept = p.has("b"); p.delete("b");
    return p.toString() === "a=9" && kept && p.has("a", "9") && !p.has("a", "1");
  })()`],
  ["url.searchParams is live", `(() => {
    const u = new URL("https://ex.com/?a=1");
    const sp = u.searchParams;
    sp.append("b", "2 3");
    const first = u.href === "https://ex.com/?a=1&b=2+3";
    u.search = "?z=9";
    return first && sp.get("z") === "9" && !sp.has("a") && u.searchParams === sp;
  })()`],
  ["constructor calls without new and bad receivers throw TypeError", `(() => {
    const throwsType = f => { try { f(); return false; } catch (e) { return e instanceof TypeError; } };
    return throwsType(() => URL("https://a.b/")) && throwsType(() => URLSearchParams()) &&
      throwsType(() => Object.getOwnPropertyDescriptor(URL.prototype, "href").get.call({}));
  })()`]
];

function apiChecks(label, { run }) {
  for (const [name, expr] of API_CHECKS) {
    check(`[${label}] ${name}`, () => run(expr) === true || "returned false");
  }
}

// Differential checks of the bundle's private UTF-8 and percent-encoding code
// (shims/) against Node's own WHATWG URLSearchParams and URL, on seeded
// random input: lone surrogates, astral characters, invalid UTF-8 escapes.
function differentialChecks(label, { run }) {
  let seed = 0x2545F491;
  const rand = n => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const pools = [
    () => String.fromCharCode(0x20 + rand(0x5F)),
    () => String.fromCharCode(rand(0x20)),
    () => String.fromCharCode(0x80 + rand(0x780)),
    () => String.fromCharCode(0x800 + rand(0xF800)), // includes lone surrogates
    () => String.fromCodePoint(0x10000 + rand(0x100000))
  ];
  const randomString = () => {
    let out = "";
    for (let i = rand(12); i > 0; i--) out += pools[rand(pools.length)]();
    return out;
  };
  const randomEscapes = () => {
    let out = "";
    for (let i = rand(12); i > 0; i--) {
      const b = rand(4) === 0 ? rand(0x80) : 0x80 + rand(0x80);
      out += rand(8) === 0 ? "+" : `%${b.toString(16).padStart(2, "0")}`;
    }
    return out;
  };
  const serialize = run("(pairs => new URLSearchParams(pairs).toString())");
  const parse = run("(query => JSON.stringify([...new URLSearchParams(query)]))");
  const query = run("(q => new URL('https://h.test/?' + q).search)");
  const cases = [
    ["URLSearchParams serialization", serialize, () => [[randomString(), randomString()]],
      pairs => new URLSearchParams(pairs).toString()],
    ["URLSearchParams parsing of random percent-escaped bytes", parse, () => `${randomEscapes()}=${randomEscapes()}`,
      q => JSON.stringify([...new URLSearchParams(q)])],
    ["URL query percent-encoding", query, () => randomString().replaceAll("#", ""),
      q => new URL(`https://h.test/?${q}`).search]
  ];
  for (const [name, inContext, make, reference] of cases) {
    check(`[${label}] ${name} matches Node's implementation (2000 random inputs)`, () => {
      for (let i = 0; i < 2000; i++) {
        const input = make();
        const got = inContext(input);
        const want = reference(input);
        if (got !== want) {
          return `input ${JSON.stringify(input)}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
        }
      }
      return true;
    });
  }
}

const FIELDS = ["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"];

function wptChecks(label, { run }) {
  const parse = run(`(function (input, base) {
    const canParse = base == null ? URL.canParse(input) : URL.canParse(input, base);
    try {
      const u = base == null ? new URL(input) : new URL(input, base);
      const out = { threw: null, canParse, origin: u.origin, searchParams: u.searchParams.toString() };
      for (const f of ${JSON.stringify(FIELDS)}) out[f] = u[f];
      return out;
    } catch (e) {
      return { threw: e && e.name, canParse };
    }
  })`);
  let wptPassed = 0;
  const wptFailures = [];
  for (const c of wptCases) {
    const name = `[${label}] WPT ${JSON.stringify(c.input)} base ${JSON.stringify(c.base ?? null)}`;
    check(name, () => {
      const r = parse(c.input, c.base ?? null);
      let problem = null;
      if (c.failure) {
        if (r.threw !== "TypeError") {
          problem = r.threw ? `threw ${r.threw}, expected TypeError` : `parsed as ${JSON.stringify(r.href)}, expected failure`;
        } else if (r.canParse !== false) {
          problem = "URL.canParse returned true for a failure case";
        }
      } else if (r.threw) {
        problem = `threw ${r.threw}`;
      } else {
        const fields = [...FIELDS];
        if ("origin" in c) fields.push("origin");
        if ("searchParams" in c) fields.push("searchParams");
        const diffs = fields.filter(f => r[f] !== c[f]).map(f => `${f}: expected ${JSON.stringify(c[f])}, got ${JSON.stringify(r[f])}`);
        if (diffs.length > 0) {
          problem = diffs.join("; ");
        } else if (r.canParse !== true) {
          problem = "URL.canParse returned false for a valid case";
        }
      }
      if (problem === null) {
        wptPassed++;
        return true;
      }
      wptFailures.push(name);
      return problem;
    });
  }
  console.log(`[${label}] WPT urltestdata: ${wptPassed}/${wptCases.length} cases passed`);
}

for (const mode of [{ label: "bare", strip: false, trace: false }, { label: "es2022", strip: true, trace: true }]) {
  const env = loadBundle(mode);
  globalChecks(mode.label, env);
  apiChecks(mode.label, env);
  differentialChecks(mode.label, env);
  if (wptCases) {
    wptChecks(mode.label, env);
  }
  if (env.traced) {
    const names = [...env.traced].sort();
    console.log(`[${mode.label}] globals the bundle looked up (load + all tests above): ${names.join(", ")}`);
    check(`[${mode.label}] bundle only looks up ECMAScript 2022 globals`, () => {
      const extra = names.filter(n => !ES2022_GLOBALS.has(n));
      return extra.length === 0 || `non-ES2022 globals: ${extra.join(", ")}`;
    });
  }
}

if (!wptCases) {
  console.log("WPT urltestdata: skipped (pass the path to urltestdata.json as the second argument or in URLTESTDATA)");
}
for (const f of failures) {
  console.log(`FAIL ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
