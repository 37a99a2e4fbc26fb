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

  // bytes at the end of `bytes` that start a UTF-8 sequence still missing its continuation bytes
  function incompleteTail(bytes) {
    for (let back = 1; back <= 3 && back <= bytes.length; back++) {
      const b = bytes[bytes.length - back];
      if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
      const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
      return need > back ? back : 0;
    }
    return 0;
  }

  class TextDecoder {
    #fatal; #ignoreBOM; #pending = null; #started = false;
    constructor(label = 'utf-8', options = {}) {
      if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
        throw new RangeError("TextDecoder: the encoding '" + label + "' is not supported (only utf-8 is)");
      }
      this.#fatal = !!(options && options.fatal);
      this.#ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input, options) {
      const stream = !!(options && options.stream);
      let bytes = input === undefined ? new Uint8Array(0) : toBytes(input, 'TextDecoder.decode');
      if (this.#pending !== null) {
        const joined = new Uint8Array(this.#pending.length + bytes.length);
        joined.set(this.#pending);
        joined.set(bytes, this.#pending.length);
        bytes = joined;
        this.#pending = null;
      }
      if (stream) {
        const tail = incompleteTail(bytes);
        if (tail > 0) {
          this.#pending = bytes.slice(bytes.length - tail);
          bytes = bytes.subarray(0, bytes.length - tail);
        }
      }
      if (!this.#started && !this.#ignoreBOM) {
        if (bytes.length < 3 && stream && bytes.length > 0 && [0xef, 0xbb, 0xbf].slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
          this.#pending = bytes.slice();
          return '';
        }
        if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      if (bytes.length > 0) this.#started = true;
      if (!stream) this.#started = false;
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

  const DOM_CODES = { IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11, SyntaxError: 12,
    InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18,
    NetworkError: 19, AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25 };
  class DOMException extends Error {
    #name;
    constructor(message = '', name = 'Error') { super(message); this.#name = String(name); }
    get name() { return this.#name; }
    get code() { return DOM_CODES[this.#name] || 0; }
    get [Symbol.toStringTag]() { return 'DOMException'; }
  }
  define('DOMException', DOMException);
  define('btoa', btoa);
  define('atob', atob);

  // ---------------------------------------------------------------- crypto
  const DIGESTS = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);
  const subtle = Object.freeze({
    /** SHA-1/256/384/512 digests, computed by the host (java.security.MessageDigest). */
    digest(algorithm, data) {
      return new Promise(resolve => {
        const name = String(typeof algorithm === 'object' && algorithm !== null ? algorithm.name : algorithm).toUpperCase();
        if (!DIGESTS.has(name)) throw new DOMException("crypto.subtle.digest: unrecognized algorithm '" + name + "' (SHA-1, SHA-256, SHA-384 and SHA-512 are supported)", 'NotSupportedError');
        const bytes = toBytes(data, 'crypto.subtle.digest').slice();
        resolve(new Uint8Array(host.web.digest(name, bytes.buffer)).slice().buffer);
      });
    },
  });
  define('crypto', Object.freeze({
    subtle,
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
  // HTML timers (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers) in the
  // invocation's event loop: the engine fires due timers one at a time, in deadline order with ties in
  // creation order (microtasks run after each), and drops the rest when the invocation ends. A timer
  // set from inside a timer callback is nested one level deeper; set from deeper than level 5, its
  // delay is at least 4 ms. An interval is rescheduled after its callback ran, unless the callback
  // cleared it. The delay is a whole number of milliseconds: NaN and negative become 0, above 2^31-1
  // (as in Deno) 1.
  // The timers set during one task (the module's top level, a handler call, a callback, a fetch
  // completion) count their delays from when the last of them was set: they fire in the order of
  // their delays however long setting them took (a busy machine once turned 30, 10, 20 ms into
  // 10, 30, 20), and none fires early. Setting them takes well under a millisecond, so this rarely
  // delays anything.
  let timers = new Map(); // id -> { callback, args, delay, repeat, wait, task, nesting, seq }; setTimeout and setInterval share the ids
  let dueTimers = []; // the engine's current batch of due timers, latest first (see internal.fireTimer)
  let nextTimerId = 1;
  let timerSeq = 0;
  let timerNesting = 0; // the nesting level of the timer task running now, 0 outside timer callbacks
  let timerTask = null; // { base }: when the last timer of the running task was set
  const MAX_TIMER_DELAY_MS = 2147483647;
  function timerDelay(delay) {
    const ms = Math.trunc(Number(delay));
    if (!(ms > 0)) return 0;
    return ms > MAX_TIMER_DELAY_MS ? 1 : ms;
  }
  const dueAt = (t) => t.task.base + t.wait;
  /** A new task begins: its timers are not nested in a timer (nesting) and share a fresh base. */
  function beginTask(nesting) {
    timerNesting = nesting;
    timerTask = null;
  }
  function scheduleTimer(id, timer, task) {
    timer.wait = timerNesting > 5 && timer.delay < 4 ? 4 : timer.delay;
    timer.nesting = timerNesting + 1;
    timer.task = task;
    timer.seq = timerSeq++;
    timers.set(id, timer);
  }
  function currentTimerTask() {
    const now = Date.now();
    if (timerTask === null) timerTask = { base: now };
    else if (now > timerTask.base) timerTask.base = now;
    return timerTask;
  }
  function addTimer(name, callback, delay, args, repeat) {
    if (typeof callback !== 'function') throw new TypeError(name + ': the callback must be a function');
    const id = nextTimerId++;
    scheduleTimer(id, { callback, args, delay: timerDelay(delay), repeat }, currentTimerTask());
    return id;
  }
  function clearTimer(id) {
    timers.delete(Number(id));
  }
  define('setTimeout', (callback, delay, ...args) => addTimer('setTimeout', callback, delay, args, false));
  define('setInterval', (callback, delay, ...args) => addTimer('setInterval', callback, delay, args, true));
  define('clearTimeout', clearTimer);
  define('clearInterval', clearTimer);
  define('queueMicrotask', (callback) => {
    if (typeof callback !== 'function') throw new TypeError('queueMicrotask: the callback must be a function');
    Promise.resolve().then(() => callback());
  });

  // ---------------------------------------------------------------- streams (web-streams-polyfill, see runtime/js)
  // The streams bundle costs about as much as the rest of a context: each context loads it the first
  // time a stream is needed (a stream global is read, or a body is read as a stream).
  const STREAM_GLOBALS = ['ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'ReadableByteStreamController', 'ReadableStream',
    'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController', 'ReadableStreamDefaultReader',
    'TransformStream', 'TransformStreamDefaultController', 'WritableStream', 'WritableStreamDefaultController',
    'WritableStreamDefaultWriter', 'TextEncoderStream', 'TextDecoderStream'];
  let ReadableStream = null;
  let TransformStream = null;
  function loadStreams() {
    if (ReadableStream !== null) return;
    const guestValues = new Map();
    for (const name of STREAM_GLOBALS) {
      const d = Object.getOwnPropertyDescriptor(global, name);
      if (d && 'value' in d) guestValues.set(name, d.value); // assigned by the val before the first load
      define(name, undefined);
    }
    host.web.load(); // defines the stream classes on the global object
    ReadableStream = global.ReadableStream;
    TransformStream = global.TransformStream;
    defineTextStreams();
    for (const [name, value] of guestValues) define(name, value);
  }
  for (const name of STREAM_GLOBALS) {
    Object.defineProperty(global, name, {
      configurable: true,
      enumerable: false,
      get() {
        loadStreams();
        return global[name];
      },
      set(value) { define(name, value); },
    });
  }

  // ---------------------------------------------------------------- events, AbortController, AbortSignal
  const eventState = new WeakMap();
  class Event {
    #type; #cancelable; #canceled = false; #timeStamp = Date.now();
    constructor(type, init = {}) {
      if (arguments.length === 0) throw new TypeError("Event: the 'type' argument is required");
      this.#type = String(type);
      this.#cancelable = !!(init && init.cancelable);
      eventState.set(this, { target: null, current: null, stop: false });
    }
    get type() { return this.#type; }
    get target() { return eventState.get(this).target; }
    get currentTarget() { return eventState.get(this).current; }
    get srcElement() { return this.target; }
    get bubbles() { return false; }
    get composed() { return false; }
    get cancelable() { return this.#cancelable; }
    get defaultPrevented() { return this.#canceled; }
    get isTrusted() { return false; }
    get timeStamp() { return this.#timeStamp; }
    get eventPhase() { return eventState.get(this).current ? 2 : 0; }
    preventDefault() { if (this.#cancelable) this.#canceled = true; }
    stopPropagation() {}
    stopImmediatePropagation() { eventState.get(this).stop = true; }
    composedPath() { const c = eventState.get(this).current; return c ? [c] : []; }
    get [Symbol.toStringTag]() { return 'Event'; }
  }

  class EventTarget {
    #listeners = new Map(); // type -> [{ listener, once, capture }]
    addEventListener(type, listener, options) {
      if (listener === null || listener === undefined) return;
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const once = !!(options && typeof options === 'object' && options.once);
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (signal && signal.aborted) return;
      type = String(type);
      const list = this.#listeners.get(type) || [];
      if (list.some(l => l.listener === listener && l.capture === capture)) return;
      const entry = { listener, once, capture, removed: false };
      list.push(entry);
      this.#listeners.set(type, list);
      if (signal) signal.addEventListener('abort', () => this.removeEventListener(type, listener, { capture }));
    }
    removeEventListener(type, listener, options) {
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const list = this.#listeners.get(String(type));
      if (!list) return;
      const i = list.findIndex(l => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError('dispatchEvent: expected an Event');
      const state = eventState.get(event);
      state.target = this;
      state.current = this;
      state.stop = false;
      for (const entry of (this.#listeners.get(event.type) || []).slice()) {
        if (entry.removed) continue;
        if (entry.once) this.removeEventListener(event.type, entry.listener, { capture: entry.capture });
        try {
          if (typeof entry.listener === 'function') entry.listener.call(this, event);
          else if (entry.listener && typeof entry.listener.handleEvent === 'function') entry.listener.handleEvent(event);
        } catch (e) {
          log('error', ['Uncaught (in event listener)', e]);
        }
        if (state.stop) break;
      }
      state.current = null;
      return !event.defaultPrevented;
    }
    get [Symbol.toStringTag]() { return 'EventTarget'; }
  }
  define('Event', Event);
  define('EventTarget', EventTarget);

  const INTERNAL = Symbol('internal');
  let signalAbort;
  class AbortSignal extends EventTarget {
    #aborted = false; #reason = undefined;
    onabort = null;
    constructor(key) {
      if (key !== INTERNAL) throw new TypeError('AbortSignal: illegal constructor (use new AbortController().signal)');
      super();
    }
    get aborted() { return this.#aborted; }
    get reason() { return this.#reason; }
    throwIfAborted() { if (this.#aborted) throw this.#reason; }
    static abort(reason) {
      const signal = new AbortSignal(INTERNAL);
      signalAbort(signal, reason);
      return signal;
    }
    static timeout(ms) {
      ms = Number(ms);
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError('AbortSignal.timeout: the delay must be a non-negative number');
      const signal = new AbortSignal(INTERNAL);
      addTimer('AbortSignal.timeout', () => signalAbort(signal, new DOMException('The signal timed out.', 'TimeoutError')), ms, [], false);
      return signal;
    }
    static any(signals) {
      const signal = new AbortSignal(INTERNAL);
      const list = Array.from(signals);
      const done = list.find(s => s.aborted);
      if (done) { signalAbort(signal, done.reason); return signal; }
      for (const s of list) s.addEventListener('abort', () => signalAbort(signal, s.reason), { once: true });
      return signal;
    }
    get [Symbol.toStringTag]() { return 'AbortSignal'; }
    static {
      signalAbort = (signal, reason) => {
        if (signal.#aborted) return;
        signal.#aborted = true;
        signal.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
        const event = new Event('abort');
        signal.dispatchEvent(event);
        if (typeof signal.onabort === 'function') {
          try { signal.onabort.call(signal, event); } catch (e) { log('error', ['Uncaught (in onabort)', e]); }
        }
      };
    }
  }
  class AbortController {
    #signal = new AbortSignal(INTERNAL);
    get signal() { return this.#signal; }
    abort(reason) { signalAbort(this.#signal, reason); }
    get [Symbol.toStringTag]() { return 'AbortController'; }
  }
  define('AbortSignal', AbortSignal);
  define('AbortController', AbortController);

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
      // a name stored as it is given is a valid lower-case token already: no need to validate it again
      let v = typeof name === 'string' ? this.#map.get(name) : undefined;
      if (v === undefined) v = this.#map.get(normalizeName(name));
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(', ') : v;
    }
    getSetCookie() { const v = this.#map.get('set-cookie'); return v ? v.slice() : []; }
    has(name) { return (typeof name === 'string' && this.#map.has(name)) || this.#map.has(normalizeName(name)); }
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

  // ---------------------------------------------------------------- structuredClone
  // The HTML structured clone algorithm for what a val can hold: primitives, wrappers, Date, RegExp,
  // ArrayBuffer and views (sharing preserved), Map, Set, Error, arrays and plain objects, with cycles;
  // Blob and File copy; functions, symbols, promises, weak collections and platform objects throw
  // DataCloneError.
  const ERROR_TYPES = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  function dataCloneError(what) { return new DOMException(what + ' could not be cloned.', 'DataCloneError'); }
  function structuredClone(value, options = undefined) {
    if (arguments.length === 0) throw new TypeError("structuredClone: the 'value' argument is required");
    const memory = new Map();
    const clone = (v) => {
      if (typeof v === 'function') return (() => { throw dataCloneError('function ' + (v.name || '') + '() {}'); })();
      if (typeof v === 'symbol') throw dataCloneError(v.toString());
      if (v === null || typeof v !== 'object') return v;
      if (memory.has(v)) return memory.get(v);
      let out;
      const remember = (o) => { memory.set(v, o); return o; };
      if (v instanceof Date) return remember(new Date(v.getTime()));
      if (v instanceof RegExp) return remember(new RegExp(v.source, v.flags));
      if (v instanceof Boolean || v instanceof Number || v instanceof String || v instanceof BigInt) return remember(Object(v.valueOf()));
      if (v instanceof ArrayBuffer) return remember(v.slice(0));
      if (ArrayBuffer.isView(v)) {
        const buffer = clone(v.buffer);
        return remember(v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength) : new v.constructor(buffer, v.byteOffset, v.length));
      }
      if (v instanceof File) return remember(new File([v], v.name, { type: v.type, lastModified: v.lastModified }));
      if (v instanceof Blob) return remember(new Blob([v], { type: v.type }));
      if (v instanceof Map) {
        out = remember(new Map());
        for (const [k, val] of v) out.set(clone(k), clone(val));
        return out;
      }
      if (v instanceof Set) {
        out = remember(new Set());
        for (const val of v) out.add(clone(val));
        return out;
      }
      if (v instanceof Error) {
        const Type = hasOwn(ERROR_TYPES, v.name) ? ERROR_TYPES[v.name] : Error;
        out = remember(new Type(v.message === undefined ? '' : String(v.message)));
        if (v.stack !== undefined) Object.defineProperty(out, 'stack', { value: String(v.stack), writable: true, configurable: true });
        if (hasOwn(v, 'cause')) out.cause = clone(v.cause);
        return out;
      }
      if (Array.isArray(v)) {
        out = remember(new Array(v.length));
        for (const key of Object.keys(v)) out[key] = clone(v[key]);
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet || v instanceof WeakRef
        || (proto !== null && proto !== Object.prototype && Object.prototype.toString.call(v) !== '[object Object]')) {
        throw dataCloneError(Object.prototype.toString.call(v));
      }
      out = remember({});
      for (const key of Object.keys(v)) out[key] = clone(v[key]);
      return out;
    };
    return clone(value);
  }
  define('structuredClone', structuredClone);

  // ---------------------------------------------------------------- Blob, File
  function concatBytes(chunks, total) {
    if (total === undefined) total = chunks.reduce((n, c) => n + c.byteLength, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  }
  function normalizeType(type) {
    type = type === undefined ? '' : String(type);
    return /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : '';
  }
  let blobBytes;
  class Blob {
    #bytes; #type;
    constructor(parts = [], options = {}) {
      if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') {
        throw new TypeError('Blob: the parts must be an iterable (an array of strings, buffers and blobs)');
      }
      const chunks = [];
      for (const part of parts) {
        if (part instanceof Blob) chunks.push(part.#bytes);
        else if (part instanceof ArrayBuffer) chunks.push(new Uint8Array(part.slice(0)));
        else if (ArrayBuffer.isView(part)) chunks.push(new Uint8Array(part.buffer, part.byteOffset, part.byteLength).slice());
        else chunks.push(utf8Encode(String(part)));
      }
      this.#bytes = concatBytes(chunks);
      this.#type = normalizeType(options && options.type);
    }
    get size() { return this.#bytes.byteLength; }
    get type() { return this.#type; }
    slice(start = 0, end = this.size, contentType = '') {
      const size = this.size;
      const clamp = (n) => { n = Math.trunc(Number(n)) || 0; return n < 0 ? Math.max(size + n, 0) : Math.min(n, size); };
      const from = clamp(start), to = clamp(end);
      const blob = new Blob([], { type: contentType });
      blob.#bytes = this.#bytes.slice(from, Math.max(from, to));
      return blob;
    }
    arrayBuffer() { return Promise.resolve(this.#bytes.slice().buffer); }
    bytes() { return Promise.resolve(this.#bytes.slice()); }
    text() { return Promise.resolve(utf8Decode(this.#bytes, false)); }
    stream() { return bytesStream(this.#bytes.slice()); }
    get [Symbol.toStringTag]() { return 'Blob'; }
    static { blobBytes = (b) => b.#bytes; }
  }
  class File extends Blob {
    #name; #lastModified;
    constructor(parts, name, options = {}) {
      if (arguments.length < 2) throw new TypeError("File: the 'name' argument is required");
      super(parts, options);
      this.#name = String(name);
      this.#lastModified = options && options.lastModified !== undefined ? Number(options.lastModified) : Date.now();
    }
    get name() { return this.#name; }
    get lastModified() { return this.#lastModified; }
    get webkitRelativePath() { return ''; }
    get [Symbol.toStringTag]() { return 'File'; }
  }
  define('Blob', Blob);
  define('File', File);

  // ---------------------------------------------------------------- FormData
  class FormData {
    #entries = [];
    constructor(form) {
      if (form !== undefined) throw new TypeError('FormData: there are no HTML forms here; use new FormData() and append()');
    }
    static #entry(name, value, filename) {
      name = String(name);
      if (value instanceof Blob) {
        if (!(value instanceof File) || filename !== undefined) {
          value = new File([value], filename !== undefined ? String(filename) : value instanceof File ? value.name : 'blob',
            { type: value.type, lastModified: value instanceof File ? value.lastModified : undefined });
        }
        return [name, value];
      }
      return [name, String(value)];
    }
    append(name, value, filename) {
      if (arguments.length < 2) throw new TypeError('FormData.append: a name and a value are required');
      this.#entries.push(FormData.#entry(name, value, filename));
    }
    set(name, value, filename) {
      if (arguments.length < 2) throw new TypeError('FormData.set: a name and a value are required');
      const entry = FormData.#entry(name, value, filename);
      const i = this.#entries.findIndex(e => e[0] === entry[0]);
      if (i < 0) { this.#entries.push(entry); return; }
      this.#entries[i] = entry;
      this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== entry[0]);
    }
    get(name) { const e = this.#entries.find(e => e[0] === String(name)); return e ? e[1] : null; }
    getAll(name) { return this.#entries.filter(e => e[0] === String(name)).map(e => e[1]); }
    has(name) { return this.#entries.some(e => e[0] === String(name)); }
    delete(name) { this.#entries = this.#entries.filter(e => e[0] !== String(name)); }
    forEach(callback, thisArg) { for (const [k, v] of this) callback.call(thisArg, v, k, this); }
    *entries() { for (let i = 0; i < this.#entries.length; i++) yield [this.#entries[i][0], this.#entries[i][1]]; }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
    get [Symbol.toStringTag]() { return 'FormData'; }
  }
  define('FormData', FormData);

  const escapeFormName = (s) => s.replace(/\r\n|\r|\n/g, '\r\n').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
  function multipart(form) {
    const boundary = '----ValenceFormBoundary' + Array.from(host.randomUUID().replace(/-/g, '')).slice(0, 16).join('');
    const chunks = [];
    for (const [name, value] of form) {
      let head = '--' + boundary + '\r\nContent-Disposition: form-data; name="' + escapeFormName(name) + '"';
      if (value instanceof File) {
        head += '; filename="' + escapeFormName(value.name) + '"\r\nContent-Type: ' + (value.type || 'application/octet-stream') + '\r\n\r\n';
        chunks.push(utf8Encode(head), blobBytes(value), utf8Encode('\r\n'));
      } else {
        chunks.push(utf8Encode(head + '\r\n\r\n' + value.replace(/\r\n|\r|\n/g, '\r\n') + '\r\n'));
      }
    }
    chunks.push(utf8Encode('--' + boundary + '--\r\n'));
    return { bytes: concatBytes(chunks), type: 'multipart/form-data; boundary=' + boundary };
  }

  function indexOfBytes(haystack, needle, from) {
    outer: for (let i = from; i <= haystack.length - needle.length; i++) {
      for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
      return i;
    }
    return -1;
  }
  function headerParam(value, name) {
    const m = new RegExp('(?:^|;)\\s*' + name + '\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))', 'i').exec(value);
    return m ? (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]) : null;
  }
  function parseMultipart(bytes, contentType) {
    const boundary = headerParam(contentType, 'boundary');
    if (!boundary) throw new TypeError('formData(): the multipart/form-data body has no boundary in its Content-Type');
    const form = new FormData();
    const delimiter = utf8Encode('--' + boundary);
    let at = indexOfBytes(bytes, delimiter, 0);
    if (at < 0) throw new TypeError('formData(): the multipart/form-data body does not contain its boundary');
    while (true) {
      at += delimiter.length;
      if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return form; // closing delimiter
      if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) at += 2;
      const headerEnd = indexOfBytes(bytes, utf8Encode('\r\n\r\n'), at);
      if (headerEnd < 0) throw new TypeError('formData(): a part of the multipart/form-data body has no end of headers');
      const headers = utf8Decode(bytes.subarray(at, headerEnd), false).split('\r\n');
      const next = indexOfBytes(bytes, delimiter, headerEnd + 4);
      if (next < 0) throw new TypeError('formData(): the multipart/form-data body is not terminated');
      let end = next;
      if (bytes[end - 2] === 0x0d && bytes[end - 1] === 0x0a) end -= 2;
      const content = bytes.slice(headerEnd + 4, end);
      let disposition = '', type = '';
      for (const line of headers) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon).trim().toLowerCase(), value = line.slice(colon + 1).trim();
        if (key === 'content-disposition') disposition = value;
        if (key === 'content-type') type = value;
      }
      const name = headerParam(disposition, 'name');
      if (name === null) throw new TypeError('formData(): a part of the multipart/form-data body has no name');
      const filename = headerParam(disposition, 'filename');
      if (filename !== null) form.append(name, new File([content], filename, { type: type || 'application/octet-stream' }));
      else form.append(name, utf8Decode(content, false));
      at = next;
    }
  }

  // ---------------------------------------------------------------- bodies
  function bytesStream(bytes) {
    loadStreams();
    return new ReadableStream({
      start(controller) {
        if (bytes.byteLength > 0) controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  async function readAll(stream, what) {
    const reader = stream.getReader();
    const chunks = [];
    let total = 0;
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        const error = new TypeError(what + ': the body stream gave a ' + describe(value) + ' chunk; body chunks must be Uint8Array (use TextEncoder for text)');
        reader.cancel(error).catch(() => {});
        throw error;
      }
      chunks.push(value);
      total += value.byteLength;
    }
    return concatBytes(chunks, total);
  }
  // What a body init becomes: { data: string | Uint8Array | null, stream: ReadableStream | null, type }
  function extractBody(body) {
    if (body === undefined || body === null) return { data: null, stream: null, type: null };
    if (typeof body === 'string') return { data: body, stream: null, type: TEXT_PLAIN };
    if (body instanceof ArrayBuffer) return { data: new Uint8Array(body.slice(0)), stream: null, type: null };
    if (ArrayBuffer.isView(body)) return { data: new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), stream: null, type: null };
    if (body instanceof Blob) return { data: blobBytes(body).slice(), stream: null, type: body.type || null };
    if (body instanceof FormData) { const m = multipart(body); return { data: m.bytes, stream: null, type: m.type }; }
    if (ReadableStream !== null && body instanceof ReadableStream) {
      if (body.locked || body._disturbed) throw new TypeError('The body stream is locked or was already read');
      return { data: null, stream: body, type: null };
    }
    const URLSearchParamsClass = global.URLSearchParams;
    if (typeof URLSearchParamsClass === 'function' && body instanceof URLSearchParamsClass) {
      return { data: body.toString(), stream: null, type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    }
    return { data: String(body), stream: null, type: 'text/plain;charset=UTF-8' };
  }

  class Body {
    #data = null; #hostBytes = null; #stream = null; #used = false;
    _initBody(data, hostBytes, stream) { this.#data = data; this.#hostBytes = hostBytes === undefined ? null : hostBytes; this.#stream = stream === undefined ? null : stream; }
    _hasBody() { return this.#data !== null || this.#hostBytes !== null || this.#stream !== null; }
    get body() {
      if (this.#stream === null) {
        if (this.#hostBytes !== null) this.#stream = bytesStream(new Uint8Array(this.#hostBytes).slice());
        else if (this.#data !== null) this.#stream = bytesStream(typeof this.#data === 'string' ? utf8Encode(this.#data) : this.#data.slice());
        else return null;
        this.#data = null;
        this.#hostBytes = null;
      }
      return this.#stream;
    }
    get bodyUsed() { return this.#used || (this.#stream !== null && this.#stream._disturbed === true); }
    // the body, consumed: a string, a Uint8Array or a host buffer (null when there is none)
    async #consume(what) {
      if (this.bodyUsed) throw new TypeError(what + ': the body has already been read');
      if (this.#stream !== null && this.#stream.locked) throw new TypeError(what + ': the body stream is locked by a reader');
      this.#used = true;
      if (this.#stream !== null) return readAll(this.#stream, what);
      return this.#hostBytes !== null ? this.#hostBytes : this.#data;
    }
    text() { return this.#read('text()', asText); }
    json() { return this.#read('json()', jsonOf); }
    // text() and json() of a body that is not a stream: converted at once, one promise
    #read(what, convert) {
      if (this.#stream !== null) return this.#consume(what).then(convert);
      try {
        if (this.#used) throw new TypeError(what + ': the body has already been read');
        this.#used = true;
        return Promise.resolve(convert(this.#hostBytes !== null ? this.#hostBytes : this.#data));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    async arrayBuffer() { return asBytes(await this.#consume('arrayBuffer()')).buffer; }
    async bytes() { return asBytes(await this.#consume('bytes()')); }
    async blob() {
      const bytes = asBytes(await this.#consume('blob()'));
      return new Blob([bytes], { type: this.headers.get('content-type') || '' });
    }
    async formData() {
      const type = this.headers.get('content-type') || '';
      const data = await this.#consume('formData()');
      const essence = type.split(';')[0].trim().toLowerCase();
      if (essence === 'multipart/form-data') return parseMultipart(asBytes(data), type);
      if (essence === 'application/x-www-form-urlencoded') {
        const form = new FormData();
        for (const [k, v] of new global.URLSearchParams(asText(data))) form.append(k, v);
        return form;
      }
      throw new TypeError("formData(): the body's Content-Type is '" + type + "', not multipart/form-data or application/x-www-form-urlencoded");
    }
    // a copy of the body for clone(): streams are teed
    _cloneBody() {
      if (this.#stream !== null) {
        const [a, b] = this.#stream.tee();
        this.#stream = a;
        return [null, null, b];
      }
      return [this.#data, this.#hostBytes, null];
    }
    // the body for the engine or fetch: { stream } or { data } without consuming it twice
    _takeBody() {
      if (this.bodyUsed) throw new TypeError('the body has already been read');
      this.#used = true;
      if (this.#stream !== null) return { stream: this.#stream };
      return { data: this.#hostBytes !== null ? new Uint8Array(this.#hostBytes).slice() : this.#data };
    }
    _peekBody() { return this.#stream !== null ? { stream: this.#stream } : { data: this.#hostBytes !== null ? new Uint8Array(this.#hostBytes).slice() : this.#data }; }
  }
  function asText(data) {
    if (data === null || data === undefined) return '';
    if (typeof data === 'string') return data;
    if (!(data instanceof Uint8Array)) return host.decodeUtf8(data);
    let bytes = data;
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    return utf8Decode(bytes, false);
  }
  function jsonOf(data) { return JSON.parse(asText(data)); }
  function asBytes(data) {
    if (data === null || data === undefined) return new Uint8Array(0);
    if (typeof data === 'string') return utf8Encode(data);
    if (!(data instanceof Uint8Array)) return new Uint8Array(data).slice();
    return data.slice();
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
  const REDIRECT_MODES = new Set(['follow', 'error', 'manual']);
  const NO_INIT = Object.freeze({}); // a Request's extra init members when it was given none (never mutated)

  class Request extends Body {
    #method; #url; #headers; #rawHeaders; #signal = null; #redirect = 'follow'; #init = NO_INIT;
    constructor(input, init = {}) {
      super();
      if (input === INTERNAL) {
        // the engine's fast path: trusted method, absolute URL, raw headers, request bytes
        this.#method = init.method;
        this.#url = init.url;
        this.#rawHeaders = init.rawHeaders;
        this._initBody(null, init.hostBytes, null);
        return;
      }
      if (arguments.length === 0) throw new TypeError("Request: the 'input' argument is required");
      if (init === null || typeof init !== 'object') init = {};
      let inputBody = null;
      if (input instanceof Request) {
        this.#method = input.#method;
        this.#url = input.#url;
        this.#headers = new Headers(input.headers);
        this.#redirect = input.#redirect;
        this.#signal = input.#signal;
        this.#init = input.#init;
        if (input._hasBody()) inputBody = input;
      } else {
        let parsed;
        try {
          parsed = new global.URL(String(input));
        } catch (e) {
          throw new TypeError("Request: '" + input + "' is not an absolute URL");
        }
        if (parsed.username || parsed.password) throw new TypeError('Request: URLs with credentials are not allowed: ' + input);
        this.#method = 'GET';
        this.#url = parsed.href;
        this.#headers = new Headers();
      }
      if (init.method !== undefined) this.#method = normalizeMethod(init.method);
      if (init.headers !== undefined) this.#headers = new Headers(init.headers);
      if (init.redirect !== undefined) {
        const mode = String(init.redirect);
        if (!REDIRECT_MODES.has(mode)) throw new TypeError("Request: redirect must be 'follow', 'error' or 'manual', got '" + mode + "'");
        this.#redirect = mode;
      }
      if (init.signal !== undefined) {
        if (init.signal !== null && !(init.signal instanceof AbortSignal)) throw new TypeError('Request: signal must be an AbortSignal');
        this.#signal = init.signal;
      }
      this.#init = Object.assign({}, this.#init);
      for (const key of ['cache', 'credentials', 'integrity', 'keepalive', 'mode', 'referrer', 'referrerPolicy']) {
        if (init[key] !== undefined) this.#init[key] = init[key];
      }
      const hasInitBody = init.body !== undefined && init.body !== null;
      if ((hasInitBody || inputBody !== null) && (this.#method === 'GET' || this.#method === 'HEAD')) {
        throw new TypeError('Request: a ' + this.#method + ' request cannot have a body');
      }
      if (hasInitBody) {
        const body = extractBody(init.body);
        this._initBody(body.data, null, body.stream);
        if (body.type && !this.#headers.has('content-type')) this.#headers.set('content-type', body.type);
      } else if (inputBody !== null) {
        const taken = inputBody._takeBody(); // the input's body moves to the new request
        this._initBody(taken.data === undefined ? null : taken.data, null, taken.stream || null);
      } else {
        this._initBody(null, null, null);
      }
      if (this.#signal === null) this.#signal = new AbortController().signal;
    }
    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() {
      if (this.#headers === undefined) { this.#headers = Headers._raw(this.#rawHeaders); this.#rawHeaders = null; }
      return this.#headers;
    }
    get signal() { if (this.#signal === null) this.#signal = new AbortController().signal; return this.#signal; }
    get redirect() { return this.#redirect; }
    get cache() { return this.#init.cache || 'default'; }
    get credentials() { return this.#init.credentials || 'same-origin'; }
    get destination() { return ''; }
    get integrity() { return this.#init.integrity || ''; }
    get keepalive() { return !!this.#init.keepalive; }
    get mode() { return this.#init.mode || 'cors'; }
    get referrer() { return this.#init.referrer === undefined ? 'about:client' : String(this.#init.referrer); }
    get referrerPolicy() { return this.#init.referrerPolicy || ''; }
    get duplex() { return 'half'; }
    get [Symbol.toStringTag]() { return 'Request'; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Request.clone: the body has already been read');
      const copy = new Request(this.#url, { method: this.#method, headers: this.headers, redirect: this.#redirect, signal: this.#signal });
      const [data, hostBytes, stream] = this._cloneBody();
      copy._initBody(data, hostBytes, stream);
      copy.#init = this.#init;
      return copy;
    }
  }
  define('Request', Request);

  // ---------------------------------------------------------------- Response
  const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
  const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
  const TEXT_PLAIN = 'text/plain;charset=UTF-8';
  const TEXT_PLAIN_WIRE = 'content-type\0' + TEXT_PLAIN + '\0';

  class Response extends Body {
    // #headers stays null until read when init gave none: the only header is then #contentType (the
    // body's type, or null), which _wire sends without building a Headers
    #status = 200; #statusText = ''; #headers = null; #contentType = null; #type = 'default'; #urls = []; #redirected = false;
    constructor(body = null, init = undefined) {
      super();
      if (init !== null && init !== undefined) {
        if (typeof init !== 'object') throw new TypeError('Response: init must be an object');
        if (init.status !== undefined) {
          const status = Number(init.status);
          if (!Number.isInteger(status) || status < 200 || status > 599) {
            throw new RangeError('Response: status must be an integer from 200 to 599, got ' + init.status);
          }
          this.#status = status;
        }
        if (init.statusText !== undefined) {
          const statusText = String(init.statusText);
          if (/[\r\n]/.test(statusText) || /[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError('Response: statusText is not a valid reason phrase');
          this.#statusText = statusText;
        }
        if (init.headers !== undefined && init.headers !== null) this.#headers = new Headers(init.headers);
      }
      if (body === null || body === undefined) {
        this._initBody(null, null, null);
        return;
      }
      if (NULL_BODY_STATUSES.has(this.#status)) {
        throw new TypeError('Response: a response with status ' + this.#status + ' cannot have a body');
      }
      let type;
      if (typeof body === 'string') {
        this._initBody(body, null, null);
        type = TEXT_PLAIN;
      } else {
        const extracted = extractBody(body);
        this._initBody(extracted.data, null, extracted.stream);
        type = extracted.type;
      }
      if (type) {
        if (this.#headers === null) this.#contentType = type;
        else if (!this.#headers.has('content-type')) this.#headers.set('content-type', type);
      }
    }
    static json(data, init = {}) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError('Response.json: the value cannot be serialised to JSON');
      const response = new Response(text, init);
      if (!init || !init.headers || !new Headers(init.headers).has('content-type')) {
        if (response.#headers === null) response.#contentType = 'application/json';
        else response.#headers.set('content-type', 'application/json');
      }
      return response;
    }
    static redirect(url, status = 302) {
      let parsed;
      try { parsed = new global.URL(String(url)); } catch (e) { throw new TypeError("Response.redirect: '" + url + "' is not an absolute URL"); }
      if (!REDIRECT_STATUSES.has(status)) throw new RangeError('Response.redirect: status must be 301, 302, 303, 307 or 308, got ' + status);
      const response = new Response(null, { status });
      response.headers.set('location', parsed.href);
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
    // a response of fetch: any status, immutable headers, the final URL
    static _fetched(status, statusText, rawHeaders, url, redirected, stream) {
      const response = new Response(null, {});
      response.#status = status;
      response.#statusText = statusText;
      response.#headers = Headers._immutable(Headers._raw(rawHeaders));
      response.#type = 'basic';
      response.#urls = [url];
      response.#redirected = redirected;
      response._initBody(null, null, stream);
      return response;
    }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get headers() {
      if (this.#headers === null) {
        this.#headers = new Headers();
        if (this.#contentType !== null) this.#headers.set('content-type', this.#contentType);
      }
      return this.#headers;
    }
    get type() { return this.#type; }
    get url() { return this.#urls.length ? new global.URL(this.#urls[this.#urls.length - 1]).href.replace(/#.*$/, '') : ''; }
    get redirected() { return this.#redirected; }
    get [Symbol.toStringTag]() { return 'Response'; }
    clone() {
      if (this.bodyUsed) throw new TypeError('Response.clone: the body has already been read');
      const copy = new Response(null, { status: 200 });
      copy.#status = this.#status;
      copy.#statusText = this.#statusText;
      copy.#headers = this.#headers === null ? null : new Headers(this.#headers);
      copy.#contentType = this.#contentType;
      if (this.#type !== 'default') Headers._immutable(copy.headers);
      copy.#type = this.#type;
      copy.#urls = this.#urls.slice();
      copy.#redirected = this.#redirected;
      const [data, hostBytes, stream] = this._cloneBody();
      copy._initBody(data, hostBytes, stream);
      return copy;
    }
    _wire() {
      if (this.bodyUsed) throw new TypeError('The val returned a Response whose body was already read');
      const body = this._takeBody();
      const headers = this.#headers !== null ? this.#headers._wire()
        : this.#contentType === TEXT_PLAIN ? TEXT_PLAIN_WIRE
        : this.#contentType === null ? '' : 'content-type\0' + this.#contentType + '\0';
      if (body.stream) {
        pendingStream = body.stream;
        return [this.#status, this.#statusText, headers, true];
      }
      let data = body.data;
      if (data instanceof Uint8Array) {
        data = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer;
      }
      return [this.#status, this.#statusText, headers, data === undefined ? null : data];
    }
  }
  define('Response', Response);

  // ---------------------------------------------------------------- fetch
  const MAX_FETCHES_IN_FLIGHT = 64; // Fetcher.MAX_IN_FLIGHT
  function fetch(input, init = undefined) {
    return new Promise((resolve, reject) => {
      const request = new Request(input, init);
      const signal = request.signal;
      if (signal.aborted) { reject(signal.reason); return; }
      const headers = new Headers(request.headers);
      if (!headers.has('accept')) headers.set('accept', '*/*');
      if (!headers.has('user-agent')) headers.set('user-agent', 'Valence');
      const body = request._hasBody() ? request._takeBody() : { data: null };
      (body.stream ? readAll(body.stream, 'fetch') : Promise.resolve(body.data)).then(data => {
        if (signal.aborted) { reject(signal.reason); return; }
        let bytes = null;
        if (data !== null && data !== undefined) bytes = asBytes(data).buffer;
        let controller = null;
        let answered = false;
        let finished = false;
        let id = -1;
        const onAbort = () => {
          if (finished) return;
          finished = true;
          host.web.abort(id);
          if (!answered) reject(signal.reason);
          else try { controller.error(signal.reason); } catch (e) { /* already closed */ }
        };
        const events = (kind, a, b, c, d, e) => {
          if (finished && kind !== 'chunk') return;
          if (kind === 'head') {
            answered = true;
            loadStreams();
            const stream = new ReadableStream({
              start(c) { controller = c; },
              cancel() { finished = true; host.web.abort(id); },
            });
            resolve(Response._fetched(a, b, c, d, e, stream));
          } else if (kind === 'chunk') {
            if (!finished) try { controller.enqueue(new Uint8Array(a).slice()); } catch (err) { /* cancelled */ }
          } else if (kind === 'end') {
            finished = true;
            signal.removeEventListener('abort', onAbort);
            try { controller.close(); } catch (err) { /* cancelled */ }
          } else if (kind === 'error') {
            finished = true;
            signal.removeEventListener('abort', onAbort);
            const error = new TypeError(a);
            if (!answered) reject(error);
            else try { controller.error(error); } catch (err) { /* cancelled */ }
          }
        };
        id = host.web.fetch(request.method, request.url, headers._wire(), bytes, request.redirect, events);
        if (id === -2) {
          reject(new TypeError('fetch refused: this invocation already has ' + MAX_FETCHES_IN_FLIGHT + ' fetches in flight; await some before starting more'));
          return;
        }
        if (id < 0) {
          reject(new TypeError('fetch is only available while a val runs (inside its handler)'));
          return;
        }
        signal.addEventListener('abort', onAbort);
      }, reject);
    });
  }
  define('fetch', fetch);

  // ---------------------------------------------------------------- TextEncoderStream, TextDecoderStream
  // defined when the streams bundle is loaded (see loadStreams)
  function defineTextStreams() {
    class TextEncoderStream extends TransformStream {
      constructor() { super({ transform(chunk, controller) { const b = utf8Encode(String(chunk)); if (b.length) controller.enqueue(b); } }); }
      get encoding() { return 'utf-8'; }
    }
    class TextDecoderStream extends TransformStream {
      #decoder;
      constructor(label = 'utf-8', options = {}) {
        const decoder = new TextDecoder(label, options);
        super({
          transform(chunk, controller) { const s = decoder.decode(chunk, { stream: true }); if (s) controller.enqueue(s); },
          flush(controller) { const s = decoder.decode(); if (s) controller.enqueue(s); },
        });
        this.#decoder = decoder;
      }
      get encoding() { return 'utf-8'; }
      get fatal() { return this.#decoder.fatal; }
      get ignoreBOM() { return this.#decoder.ignoreBOM; }
    }
    define('TextEncoderStream', TextEncoderStream);
    define('TextDecoderStream', TextDecoderStream);
  }

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
  // a streamed response body: the stream the handler returned, then its reader; 0 running, 1 done, 2 failed
  let pendingStream = null;
  let pumpReader = null;
  let streamState = 0;
  let streamFailure;

  function settle(promise, convert = toWire) {
    state = 0;
    settledValue = undefined;
    Promise.resolve(promise).then(
      r => { try { settledValue = convert(r); state = 1; } catch (e) { settledValue = e; state = 2; } },
      e => { settledValue = e; state = 2; });
  }

  const internal = {
    /**
     * Loads the val's module with import(), which settles once the module's evaluation (top-level
     * await included) finished: state 1 with the handler as the value (null for a script without a
     * default export), or 2 with the module's error. The engine drives the event loop meanwhile.
     */
    load(specifier, script) {
      beginTask(0);
      settle(import(specifier), exports => (script ? internal.scriptHandlerOf(exports) : internal.handlerOf(exports)));
    },
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
     * synchronously, or undefined while its promise is pending (see state/value/rethrow). A body of
     * `true` means a stream: the engine sends the head, then calls pump().
     */
    http(handler, method, url, rawHeaders, hostBytes) {
      beginTask(0);
      pendingStream = null;
      pumpReader = null;
      streamState = 0;
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
      beginTask(0);
      if (handler === null || handler === undefined) return [null];
      const args = JSON.parse(argsJson);
      settle(handler(...args), toJsonWire);
      return state === 1 ? settledValue : undefined;
    },
    state() { return state; },
    value() { return settledValue; },
    rethrow() { throw settledValue; },
    /** Starts reading the returned stream; each chunk goes to host.web.write until it answers false. */
    pump() {
      beginTask(0);
      streamState = 0;
      const reader = pendingStream.getReader();
      pendingStream = null;
      pumpReader = reader;
      const step = () => reader.read().then(({ done, value }) => {
        if (done) { streamState = 1; return undefined; }
        if (!(value instanceof Uint8Array)) {
          throw new TypeError('The response body stream gave a ' + describe(value) + ' chunk; body chunks must be Uint8Array (use TextEncoder or TextEncoderStream for text)');
        }
        if (value.byteLength === 0) return step();
        const buffer = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value.buffer : value.slice().buffer;
        if (!host.web.write(buffer)) return undefined; // the engine stops the stream
        return step();
      }).catch(e => { streamFailure = e; streamState = 2; reader.cancel(e).catch(() => {}); });
      step();
    },
    streamState() { return streamState; },
    streamError() { throw streamFailure; },
    cancelStream(reason) {
      if (pumpReader !== null) pumpReader.cancel(new DOMException(String(reason), 'AbortError')).catch(() => {});
    },
    /** Milliseconds until the next timer is due, or -1 when none is pending. */
    nextTimerDelay() {
      if (dueTimers.length > 0) return 0;
      let next = -1;
      const now = Date.now();
      for (const t of timers.values()) {
        const wait = Math.max(0, dueAt(t) - now);
        if (next < 0 || wait < next) next = wait;
      }
      return next;
    },
    /**
     * Runs the earliest due timer (the engine runs microtasks after it returns, still in this timer's
     * task). The due timers are taken in one sorted batch, so a storm of timers costs n log n, not n squared.
     */
    fireTimer() {
      if (dueTimers.length === 0) {
        const now = Date.now();
        for (const [id, t] of timers) if (dueAt(t) <= now) dueTimers.push([id, t, t.seq, dueAt(t)]);
        dueTimers.sort((a, b) => a[3] - b[3] || a[2] - b[2]).reverse();
      }
      while (dueTimers.length > 0) {
        const [id, t, seq] = dueTimers.pop();
        if (timers.get(id) !== t || t.seq !== seq) continue; // cleared (or an interval rescheduled) since the batch was taken
        if (!t.repeat) timers.delete(id);
        beginTask(t.nesting);
        t.callback(...t.args);
        // an interval counts again from when its callback ended, unless the callback cleared it
        if (t.repeat && timers.get(id) === t) scheduleTimer(id, t, { base: Date.now() });
        return;
      }
    },
    /** A task that is not a timer begins (the engine runs a host completion such as a fetch response). */
    beginTask() {
      beginTask(0);
    },
    /**
     * Ends an invocation (and a module's load): timers and streams it left behind never run in the
     * next one. Timers set while the module loaded do run during the invocation that loaded it.
     */
    reset() {
      timers = new Map();
      dueTimers = [];
      beginTask(0);
      pendingStream = null;
      pumpReader = null;
      streamState = 0;
    },
  };
  return internal;
})
