// node:util for packages: the helpers libraries commonly reach for.
const TextEncoderClass = globalThis.TextEncoder;
const TextDecoderClass = globalThis.TextDecoder;
export { TextEncoderClass as TextEncoder, TextDecoderClass as TextDecoder };

export function inherits(constructor, superConstructor) {
  Object.setPrototypeOf(constructor.prototype, superConstructor.prototype);
  Object.setPrototypeOf(constructor, superConstructor);
  constructor.super_ = superConstructor;
}

export function promisify(original) {
  if (typeof original !== "function") throw new TypeError('The "original" argument must be a function');
  return function (...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (error, value) => (error ? reject(error) : resolve(value)));
    });
  };
}

export function inspect(value) {
  if (typeof value === "string") return `'${value}'`;
  if (typeof value === "function") return `[Function: ${value.name || "(anonymous)"}]`;
  if (value instanceof Error) return value.stack || String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function format(template, ...args) {
  if (typeof template !== "string") return [template, ...args].map((v) => (typeof v === "string" ? v : inspect(v))).join(" ");
  let i = 0;
  const out = template.replace(/%[sdifjoO%]/g, (token) => {
    if (token === "%%") return "%";
    if (i >= args.length) return token;
    const value = args[i++];
    switch (token) {
      case "%s": return String(value);
      case "%d": case "%i": return String(token === "%i" ? parseInt(value) : Number(value));
      case "%f": return String(parseFloat(value));
      case "%j": return JSON.stringify(value);
      default: return inspect(value);
    }
  });
  return [out, ...args.slice(i).map((v) => (typeof v === "string" ? v : inspect(v)))].join(" ");
}

export function deprecate(fn) { return fn; }
export function isDeepStrictEqual(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
export const types = {
  isPromise: (v) => v instanceof Promise,
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isUint8Array: (v) => v instanceof Uint8Array,
};

export default { TextEncoder: TextEncoderClass, TextDecoder: TextDecoderClass, inherits, promisify, inspect, format, deprecate,
  isDeepStrictEqual, types };
