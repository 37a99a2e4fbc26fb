// What a val sees: the web-standard globals (WHATWG Fetch's Request/Response/Headers, Encoding,
// console, timers, crypto.randomUUID). Evaluated once per context, before the val's module.
//
// The script evaluates to a function that the engine calls with `host`, a small set of functions
// implemented in Java (randomness, UTF-8 decoding of request bodies, loading the URL bundle). It
// returns `internal`, the engine's handle for running invocations. Neither is reachable from guest
// code: both live only in this closure.
(function (host) {
  'use strict';
  const global = globalThis;

  // Engine built-ins a val must not see (host access, files, process control, polyglot bindings).
  for (const name of ['load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'read', 'readFully',
    'readline', 'readbuffer', 'Graal', 'Polyglot', 'Java', 'Packages', 'java', 'javax', 'JavaImporter', 'console']) {
    try { delete global[name]; } catch (e) { /* non-configurable: left as the engine made it */ }
  }

  function define(name, value) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  // ---------------------------------------------------------------- console

  function inspect(value, depth, seen) {
    switch (typeof value) {
      case 'string': return depth === 0 ? value : JSON.stringify(value);
      case 'undefined': return 'undefined';
      case 'function': return '[Function: ' + (value.name || 'anonymous') + ']';
      case 'symbol': return value.toString();
      case 'bigint': return value.toString() + 'n';
      case 'number': case 'boolean': return String(value);
    }
    if (value === null) return 'null';
    if (value instanceof Error) return value.stack ? String(value.stack) : value.name + ': ' + value.message;
    if (seen.has(value)) return '[Circular]';
    if (depth > 4) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return '[ ' + value.map(v => inspect(v, depth + 1, seen)).join(', ') + ' ]';
      if (value instanceof Map) return 'Map(' + value.size + ') { ' + Array.from(value, ([k, v]) => inspect(k, depth + 1, seen) + ' => ' + inspect(v, depth + 1, seen)).join(', ') + ' }';
      if (value instanceof Set) return 'Set(' + value.size + ') { ' + Array.from(value, v => inspect(v, depth + 1, seen)).join(', ') + ' }';
      if (ArrayBuffer.isView(value)) return value.constructor.name + '(' + value.length + ') [ ' + Array.prototype.slice.call(value, 0, 50).join(', ') + (value.length > 50 ? ', ...' : '') + ' ]';
      if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
      const keys = Object.keys(value);
      const name = value.constructor && value.constructor !== Object && value.constructor.name ? value.constructor.name + ' ' : '';
      if (keys.length === 0) return name + '{}';
      return name + '{ ' + keys.map(k => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)) + ': ' + inspect(value[k], depth + 1, seen)).join(', ') + ' }';
    } finally {
      seen.delete(value);
    }
  }

  function format(args) {
    let out = '';
    for (let i = 0; i < args.length; i++) {
      if (i > 0) out += ' ';
      out += inspect(args[i], 0, new Set());
    }
    return out;
  }

  function log(level, args) {
    host.log('[' + level + '] ' + format(args));
  }

  const counters = new Map();
  const timersByLabel = new Map();
  const consoleObject = {
    log: (...a) => log('log', a),
    info: (...a) => log('info', a),
    debug: (...a) => log('debug', a),
    warn: (...a) => log('warn', a),
    error: (...a) => log('error', a),
    trace: (...a) => log('trace', [...a, new Error('trace').stack]),
    assert: (condition, ...a) => { if (!condition) log('error', ['Assertion failed' + (a.length ? ':' : ''), ...a]); },
    dir: (v) => log('log', [v]),
    table: (v) => log('log', [v]),
    count: (label = 'default') => { const n = (counters.get(label) || 0) + 1; counters.set(label, n); log('log', [label + ': ' + n]); },
    countReset: (label = 'default') => counters.delete(label),
    time: (label = 'default') => timersByLabel.set(label, Date.now()),
    timeLog: (label = 'default', ...a) => log('log', [label + ': ' + (Date.now() - (timersByLabel.get(label) || Date.now())) + 'ms', ...a]),
    timeEnd: (label = 'default') => { log('log', [label + ': ' + (Date.now() - (timersByLabel.get(label) || Date.now())) + 'ms']); timersByLabel.delete(label); },
  };
  define('console', consoleObject);

  // ---------------------------------------------------------------- encoding
  function utf8Encode(str) {
    str = String(str);
    const out = new Uint8Array(str.length * 3);
    let n = 0;
    for (let i = 0; i < str.length; i++) {
      let c = str.charCodeAt(i);
      if (c < 0x80) { out[n++] = c; continue; }
      if (c < 0x800) { out[n++] = 0xc0 | (c >> 6); out[n++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (cp >> 18); out[n++] = 0x80 | ((cp >> 12) & 63);
          out[n++] = 0x80 | ((cp >> 6) & 63); out[n++] = 0x80 | (cp & 63);
          continue;
        }
        c = 0xfffd; // a lone surrogate becomes U+FFFD, as the Encoding standard says
      }
      out[n++] = 0xe0 | (c >> 12); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63);
    }
    return out.slice(0, n);
  }

  function utf8Decode(bytes, fatal) {
    let out = '';
    let chunk = [];
    const flush = () => { out += String.fromCharCode.apply(null, chunk); chunk = []; };
    const bad = () => { if (fatal) throw new TypeError('The encoded data was not valid utf-8'); chunk.push(0xfffd); };
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i];
      let cp, need, min;
      if (b < 0x80) { chunk.push(b); i++; if (chunk.length > 8000) flush(); continue; }
      if (b >= 0xc2 && b <= 0xdf) { cp = b & 0x1f; need = 1; min = 0x80; }
      else if (b >= 0xe0 && b <= 0xef) { cp = b & 0x0f; need = 2; min = 0x800; }
      else if (b >= 0xf0 && b <= 0xf4) { cp = b & 0x07; need = 3; min = 0x10000; }
      else { bad(); i++; continue; }
      let j = 1;
      for (; j <= need; j++) {
        const c = bytes[i + j];
        if (i + j >= bytes.length || (c & 0xc0) !== 0x80) break;
        cp = (cp << 6) | (c & 0x3f);
        // reject overlong and surrogate forms as early as the standard does
        if (j === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) break;
      }
      if (j <= need) { bad(); i += Math.max(1, j); continue; }
      i += need + 1;
      if (cp < min) { bad(); continue; }
      if (cp >= 0x10000) { cp -= 0x10000; chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff)); }
      else chunk.push(cp);
      if (chunk.length > 8000) flush();
    }
    flush();
    return out;
  }

  function toBytes(input, what) {
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError(what + ': expected an ArrayBuffer or an ArrayBufferView');
  }

  const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']);

  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') { return utf8Encode(input); }
    encodeInto(source, destination) {
      const bytes = utf8Encode(source);
      // only whole code points are written
      let written = Math.min(bytes.length, destination.length);
      while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) written--;
      destination.set(bytes.subarray(0, written));
      const read = utf8Decode(bytes.subarray(0, written), false).length;
      return { read, written };
    }
  }

  class TextDecoder {
    #fatal; #ignoreBOM;
    constructor(label = 'utf-8', options = {}) {
      if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
        throw new RangeError("TextDecoder: the encoding '" + label + "' is not supported (only utf-8 is)");
      }
      this.#fatal = !!options.fatal;
      this.#ignoreBOM = !!options.ignoreBOM;
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input, options) {
      if (input === undefined) return '';
      let bytes = toBytes(input, 'TextDecoder.decode');
      if (!this.#ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      return utf8Decode(bytes, this.#fatal);
    }
  }
  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function btoa(data) {
    data = String(data);
    let out = '';
    for (let i = 0; i < data.length; i += 3) {
      const a = data.charCodeAt(i), b = data.charCodeAt(i + 1), c = data.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new DOMException('btoa: the string contains characters outside of Latin1', 'InvalidCharacterError');
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < data.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < data.length ? B64[n & 63] : '=');
    }
    return out;
  }
  function atob(data) {
    data = String(data).replace(/[\t\n\f\r ]/g, '');
    if (data.length % 4 === 0) data = data.replace(/==?$/, '');
    if (data.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(data)) throw new DOMException('atob: the string is not correctly encoded', 'InvalidCharacterError');
    let out = '';
    let buffer = 0, bits = 0;
    for (let i = 0; i < data.length; i++) {
      buffer = (buffer << 6) | B64.indexOf(data[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((buffer >> bits) & 0xff); }
    }
    return out;
  }

  class DOMException extends Error {
    #name;
    constructor(message = '', name = 'Error') { super(message); this.#name = String(name); }
    get name() { return this.#name; }
  }
  define('DOMException', DOMException);
  define('btoa', btoa);
  define('atob', atob);

  // ---------------------------------------------------------------- crypto
  define('crypto', Object.freeze({
    randomUUID: () => host.randomUUID(),
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
        throw new TypeError('crypto.getRandomValues: expected an integer typed array');
      }
      if (array.byteLength > 65536) throw new DOMException('crypto.getRandomValues: at most 65536 bytes at a time', 'QuotaExceededError');
      const random = new Uint8Array(host.randomBytes(array.byteLength));
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(random);
      return array;
    },
  }));

  // ---------------------------------------------------------------- URL (loaded on first use)
  // The WHATWG URL implementation is a large bundle; most vals never touch it, so each context loads
  // it the first time URL or URLSearchParams is read.
  for (const name of ['URL', 'URLSearchParams']) {
    Object.defineProperty(global, name, {
      configurable: true,
      enumerable: false,
      get() {
        host.loadUrl(); // defines both globals as plain data properties
        return global[name];
      },
      set(value) { define(name, value); },
    });
  }

  // ---------------------------------------------------------------- timers
  // Timers run inside the current invocation: the engine fires them while the handler's promise is
  // pending, and drops the rest when the invocation ends.
  let timers = new Map();
  let nextTimerId = 1;
  function addTimer(callback, delay, args, repeat) {
    if (typeof callback !== 'function') throw new TypeError('setTimeout: the callback must be a function');
    const id = nextTimerId++;
    delay = Math.max(0, Number(delay) || 0);
    timers.set(id, { callback, args, at: Date.now() + delay, delay, repeat, seq: id });
    return id;
  }
  define('setTimeout', (callback, delay, ...args) => addTimer(callback, delay, args, false));
  define('setInterval', (callback, delay, ...args) => addTimer(callback, delay, args, true));
  define('clearTimeout', (id) => { timers.delete(id); });
  define('clearInterval', (id) => { timers.delete(id); });
  define('queueMicrotask', (callback) => {
    if (typeof callback !== 'function') throw new TypeError('queueMicrotask: the callback must be a function');
    Promise.resolve().then(() => callback());
  });

  // ---------------------------------------------------------------- Headers
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  function normalizeName(name) {
    name = String(name);
    if (!TOKEN.test(name)) throw new TypeError("Headers: '" + name + "' is not a valid header name");
    return name.toLowerCase();
  }
  function normalizeValue(value) {
    value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (/[\0\r\n]/.test(value)) throw new TypeError('Headers: header values may not contain NUL, CR or LF');
    return value;
  }

  class Headers {
    #map = new Map(); // lower-case name -> combined value (set-cookie: array of values)
    #guard = 'none';
    constructor(init) {
      if (init === undefined || init === null) return;
      if (init instanceof Headers) {
        for (const [k, v] of init.#map) this.#map.set(k, Array.isArray(v) ? v.slice() : v);
      } else if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
        for (const pair of init) {
          const entry = Array.from(pair);
          if (entry.length !== 2) throw new TypeError('Headers: each header must be a [name, value] pair');
          this.append(entry[0], entry[1]);
        }
      } else if (typeof init === 'object') {
        for (const key of Object.keys(init)) this.append(key, init[key]);
      } else {
        throw new TypeError('Headers: expected an object, an array of pairs or a Headers');
      }
    }
    static _raw(raw) {
      const h = new Headers();
      if (raw) {
        const parts = raw.split('\0');
        for (let i = 0; i + 1 < parts.length; i += 2) h.#appendTrusted(parts[i], parts[i + 1]);
      }
      return h;
    }
    static _immutable(h) { h.#guard = 'immutable'; return h; }
    #check() { if (this.#guard === 'immutable') throw new TypeError('Headers: these headers are immutable'); }
    #appendTrusted(name, value) {
      const prior = this.#map.get(name);
      if (name === 'set-cookie') {
        if (prior) prior.push(value); else this.#map.set(name, [value]);
      } else {
        this.#map.set(name, prior === undefined ? value : prior + ', ' + value);
      }
    }
    append(name, value) { this.#check(); this.#appendTrusted(normalizeName(name), normalizeValue(value)); }
    set(name, value) {
      this.#check();
      const key = normalizeName(name);
      value = normalizeValue(value);
      this.#map.set(key, key === 'set-cookie' ? [value] : value);
    }
    get(name) {
      const v = this.#map.get(normalizeName(name));
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(', ') : v;
    }
    getSetCookie() { const v = this.#map.get('set-cookie'); return v ? v.slice() : []; }
    has(name) { return this.#map.has(normalizeName(name)); }
    delete(name) { this.#check(); this.#map.delete(normalizeName(name)); }
    forEach(callback, thisArg) { for (const [k, v] of this) callback.call(thisArg, v, k, this); }
    *entries() {
      const names = Array.from(this.#map.keys()).sort();
      for (const name of names) {
        const v = this.#map.get(name);
        if (Array.isArray(v)) { for (const c of v) yield [name, c]; } else yield [name, v];
      }
    }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
    get [Symbol.toStringTag]() { return 'Headers'; }
    _wire() {
      let out = '';
      for (const [k, v] of this.#map) {
        if (Array.isArray(v)) { for (const c of v) out += k + '\0' + c + '\0'; } else out += k + '\0' + v + '\0';
      }
      return out;
    }
  }
  define('Headers', Headers);

  // ---------------------------------------------------------------- bodies
  // A body is held as one of: null, a string, a Uint8Array, or a host buffer of request bytes.
  function extractBody(body) {
    if (body === undefined || body === null) return { data: null, type: null };
    if (typeof body === 'string') return { data: body, type: 'text/plain;charset=UTF-8' };
    if (body instanceof ArrayBuffer) return { data: new Uint8Array(body.slice(0)), type: null };
    if (ArrayBuffer.isView(body)) return { data: new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), type: null };
    const URLSearchParamsClass = global.URLSearchParams;
    if (typeof URLSearchParamsClass === 'function' && body instanceof URLSearchParamsClass) {
      return { data: body.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    }
    return { data: String(body), type: 'text/plain;charset=UTF-8' };
  }

  class Body {
    #data; #used = false; #hostBytes;
    _initBody(data, hostBytes) { this.#data = data; this.#hostBytes = hostBytes; }
    get bodyUsed() { return this.#used; }
    get body() { return null; }
    #take(what) {
      if (this.#used) return Promise.reject(new TypeError(what + ': the body has already been read'));
      this.#used = true;
      return null;
    }
    _peek() { return this.#hostBytes !== undefined && this.#hostBytes !== null ? new Uint8Array(this.#hostBytes) : this.#data; }
    _cloneBody() { return [this.#data, this.#hostBytes]; }
    text() {
      return this.#take('text()') || Promise.resolve(this.#textNow());
    }
    #textNow() {
      if (this.#hostBytes !== undefined && this.#hostBytes !== null) return host.decodeUtf8(this.#hostBytes);
      const d = this.#data;
      if (d === null || d === undefined) return '';
      if (typeof d === 'string') return d;
      let bytes = d;
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      return utf8Decode(bytes, false);
    }
    json() {
      return this.#take('json()') || new Promise(resolve => resolve(JSON.parse(this.#textNow())));
    }
    arrayBuffer() {
      return this.#take('arrayBuffer()') || Promise.resolve(this.#bytesNow().buffer);
    }
    bytes() {
      return this.#take('bytes()') || Promise.resolve(this.#bytesNow());
    }
    #bytesNow() {
      if (this.#hostBytes !== undefined && this.#hostBytes !== null) return new Uint8Array(this.#hostBytes).slice();
      const d = this.#data;
      if (d === null || d === undefined) return new Uint8Array(0);
      if (typeof d === 'string') return utf8Encode(d);
      return d.slice();
    }
  }

  // ---------------------------------------------------------------- Request
  const METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);
  function normalizeMethod(m) {
    m = String(m);
    if (!TOKEN.test(m)) throw new TypeError("Request: '" + m + "' is not a valid method");
    const upper = m.toUpperCase();
    if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') throw new TypeError("Request: the method '" + m + "' is forbidden");
    return METHODS.has(upper) ? upper : m;
  }

  const INTERNAL = Symbol('internal');

  class Request extends Body {
    #method; #url; #headers; #rawHeaders; #signal = null; #redirect = 'follow';
    constructor(input, init = {}) {
      super();
      if (input === INTERNAL) {
        // the engine's fast path: trusted method, absolute URL, raw headers, request bytes
        this.#method = init.method;
        this.#url = init.url;
        this.#rawHeaders = init.rawHeaders;
        this._initBody(null, init.hostBytes);
        return;
      }
      let body = null;
      if (input instanceof Request) {
        this.#method = input.#method;
        this.#url = input.#url;
        this.#headers = new Headers(input.headers);
        const [data, hostBytes] = input._cloneBody();
        this._initBody(data, hostBytes);
      } else {
        this.#method = 'GET';
        this.#url = new global.URL(String(input)).href;
        this.#headers = new Headers();
        this._initBody(null, null);
      }
      if (init.method !== undefined) this.#method = normalizeMethod(init.method);
      if (init.headers !== undefined) this.#headers = new Headers(init.headers);
      if (init.redirect !== undefined) this.#redirect = String(init.redirect);
      if (init.signal !== undefined) this.#signal = init.signal;
      if (init.body !== undefined && init.body !== null) {
        if (this.#method === 'GET' || this.#method === 'HEAD') throw new TypeError('Request: a ' + this.#method + ' request cannot have a body');
        body = extractBody(init.body);
        this._initBody(body.data, null);
        if (body.type && !this.#headers.has('content-type')) this.#headers.set('content-type', body.type);
      }
    }
    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() {
      if (this.#headers === undefined) { this.#headers = Headers._raw(this.#rawHeaders); this.#rawHeaders = null; }
      return this.#headers;
    }
    get signal() { return this.#signal; }
    get redirect() { return this.#redirect; }
    get [Symbol.toStringTag]() { return 'Request'; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Request.clone: the body has already been read');
      const copy = new Request(this);
      return copy;
    }
  }
  define('Request', Request);

  // ---------------------------------------------------------------- Response
  const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
  const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

  class Response extends Body {
    #status; #statusText; #headers; #type = 'default'; #url = '';
    constructor(body = null, init = {}) {
      super();
      if (init === null || typeof init !== 'object') init = {};
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError('Response: status must be an integer from 200 to 599, got ' + init.status);
      }
      const statusText = init.statusText === undefined ? '' : String(init.statusText);
      if (/[\r\n]/.test(statusText)) throw new TypeError('Response: statusText may not contain CR or LF');
      this.#status = status;
      this.#statusText = statusText;
      this.#headers = new Headers(init.headers);
      if (body !== null && body !== undefined && NULL_BODY_STATUSES.has(status)) {
        throw new TypeError('Response: a response with status ' + status + ' cannot have a body');
      }
      const extracted = extractBody(body);
      this._initBody(extracted.data, null);
      if (extracted.type && !this.#headers.has('content-type')) this.#headers.set('content-type', extracted.type);
    }
    static json(data, init = {}) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError('Response.json: the value cannot be serialised to JSON');
      const response = new Response(text, init);
      if (!init.headers || !new Headers(init.headers).has('content-type')) response.headers.set('content-type', 'application/json');
      return response;
    }
    static redirect(url, status = 302) {
      if (!REDIRECT_STATUSES.has(status)) throw new RangeError('Response.redirect: status must be 301, 302, 303, 307 or 308, got ' + status);
      const response = new Response(null, { status });
      response.headers.set('location', new global.URL(String(url)).href);
      Headers._immutable(response.headers);
      return response;
    }
    static error() {
      const response = new Response(null, { status: 200 });
      response.#status = 0;
      response.#type = 'error';
      Headers._immutable(response.headers);
      return response;
    }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get headers() { return this.#headers; }
    get type() { return this.#type; }
    get url() { return this.#url; }
    get redirected() { return false; }
    get [Symbol.toStringTag]() { return 'Response'; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Response.clone: the body has already been read');
      const copy = new Response(null, { status: this.#status === 0 ? 200 : this.#status, statusText: this.#statusText, headers: this.#headers });
      const [data, hostBytes] = this._cloneBody();
      copy._initBody(data, hostBytes);
      copy.#status = this.#status;
      copy.#type = this.#type;
      return copy;
    }
    _wire() {
      if (this.bodyUsed) throw new TypeError('The val returned a Response whose body was already read');
      let data = this._peek();
      if (data instanceof Uint8Array) {
        data = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer;
      }
      return [this.#status, this.#statusText, this.#headers._wire(), data];
    }
  }
  define('Response', Response);

  // ---------------------------------------------------------------- the engine's handle
  function describe(value) {
    if (value === null) return 'null';
    if (value === undefined) return 'undefined';
    if (typeof value === 'object') return (value.constructor && value.constructor.name) || 'object';
    return typeof value;
  }

  function toWire(result) {
    if (!(result instanceof Response)) {
      throw new TypeError('The handler must return a Response (or a Promise of one), but it returned ' + describe(result));
    }
    if (result.type === 'error') throw new TypeError('The handler returned Response.error()');
    return result._wire();
  }

  function toJsonWire(result) {
    if (result === undefined) return [null];
    let text;
    try {
      text = JSON.stringify(result);
    } catch (e) {
      throw new TypeError('The handler returned a value that cannot be serialised to JSON: ' + e.message);
    }
    if (text === undefined) throw new TypeError('The handler returned a value that cannot be serialised to JSON (' + describe(result) + ')');
    return [text];
  }

  // state of the current invocation: 0 pending, 1 fulfilled, 2 rejected
  let state = 0;
  let settledValue;

  function settle(promise, convert = toWire) {
    state = 0;
    settledValue = undefined;
    Promise.resolve(promise).then(
      r => { try { settledValue = convert(r); state = 1; } catch (e) { settledValue = e; state = 2; } },
      e => { settledValue = e; state = 2; });
  }

  const internal = {
    /** Finds the handler among the module's exports, or throws a TypeError that says what is missing. */
    handlerOf(exports) {
      const d = exports.default;
      if (typeof d === 'function') return d;
      if (d && typeof d === 'object' && typeof d.fetch === 'function') return d.fetch.bind(d);
      const functions = Object.keys(exports).filter(k => typeof exports[k] === 'function');
      if (d === undefined && functions.length === 1) return exports[functions[0]];
      throw new TypeError('The val must export a handler: `export default function (req) { ... }` or `export default { fetch(req) { ... } }`');
    },
    /**
     * Calls an HTTP handler. Returns the wire form [status, statusText, headers, body] when it answers
     * synchronously, or undefined while its promise is pending (see state/value/rethrow).
     */
    http(handler, method, url, rawHeaders, hostBytes) {
      timers = new Map();
      const request = new Request(INTERNAL, { method, url, rawHeaders, hostBytes });
      const result = handler(request);
      if (result instanceof Response) return toWire(result);
      settle(result);
      return state === 1 ? settledValue : undefined;
    },
    /** A script val's handler: its default export when that is a function, else null (top-level code only). */
    scriptHandlerOf(exports) {
      return typeof exports.default === 'function' ? exports.default : null;
    },
    /**
     * Calls a cron, script or email handler with the arguments in `argsJson` (a JSON array). Returns
     * [resultJson] (resultJson null when the handler returned undefined) when it finished at once, or
     * undefined while its promise is pending (see state/value/rethrow).
     */
    invoke(handler, argsJson) {
      timers = new Map();
      if (handler === null || handler === undefined) return [null];
      const args = JSON.parse(argsJson);
      settle(handler(...args), toJsonWire);
      return state === 1 ? settledValue : undefined;
    },
    state() { return state; },
    value() { return settledValue; },
    rethrow() { throw settledValue; },
    /** Milliseconds until the next timer is due, or -1 when none is pending. */
    nextTimerDelay() {
      let next = -1;
      for (const t of timers.values()) {
        const wait = Math.max(0, t.at - Date.now());
        if (next < 0 || wait < next) next = wait;
      }
      return next;
    },
    /** Runs every timer that is due, in order. */
    fireTimers() {
      const now = Date.now();
      const due = Array.from(timers.entries()).filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at || a[1].seq - b[1].seq);
      for (const [id, t] of due) {
        if (!timers.has(id)) continue;
        if (t.repeat) t.at = Date.now() + Math.max(1, t.delay); else timers.delete(id);
        t.callback(...t.args);
      }
    },
    /** Ends an invocation: timers it left behind never fire in the next one. */
    reset() {
      timers = new Map();
    },
  };
  return internal;
})
