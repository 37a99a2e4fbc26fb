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
    'readline', 'readbuffer', 'Graal', 'Polyglot', 'Java', 'Packages', 'java', 'javax', 'JavaImporter', 'console',
    'com', 'org', 'edu', 'javafx', 'arguments']) {
    try { delete global[name]; } catch (e) { /* non-configurable: left as the engine made it */ }
  }

  function define(name, value) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

  // ---------------------------------------------------------------- console
  // Values are printed the way Deno prints them (its inspect is Node's with double quotes): objects on
  // one line when they fit in 80 columns and hold at most 3 levels, long arrays of short items in
  // columns, strings quoted inside structures, cycles as <ref *1> ... [Circular *1].
  const BREAK_LENGTH = 80;
  const COMPACT = 3;
  const MAX_ARRAY_ITEMS = 100;
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
  // platform objects whose state is private (Headers, Request, URL, ...): what to show, by toStringTag
  const platformViews = new Map();
  const customInspect = Symbol.for('Deno.customInspect');

  function quote(s) {
    let q = '"';
    if (s.includes('"')) {
      if (!s.includes("'")) q = "'";
      else if (!s.includes('`') && !s.includes('${')) q = '`';
    }
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      const c = s.charCodeAt(i);
      if (ch === q || ch === '\\') out += '\\' + ch;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\b') out += '\\b';
      else if (ch === '\f') out += '\\f';
      else if (ch === '\v') out += '\\v';
      else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0').toUpperCase();
      else out += ch;
    }
    return q + out + q;
  }

  function functionBase(fn) {
    let source = '';
    try { source = Function.prototype.toString.call(fn); } catch (e) { /* a proxy */ }
    if (/^class\b/.test(source)) {
      const parent = Object.getPrototypeOf(fn);
      return '[class ' + (fn.name || '(anonymous)') + (parent && parent !== Function.prototype && parent.name ? ' extends ' + parent.name : '') + ']';
    }
    const kind = (fn.constructor && fn.constructor.name) || 'Function';
    return '[' + (['AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction'].includes(kind) ? kind : 'Function')
      + (fn.name ? ': ' + fn.name : ' (anonymous)') + ']';
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return key.toString();
    return IDENTIFIER.test(key) ? key : quote(key);
  }

  function formatValue(ctx, value, level, nested) {
    switch (typeof value) {
      case 'string': return nested ? quote(value) : value;
      case 'number': return Object.is(value, -0) ? '-0' : String(value);
      case 'bigint': return value + 'n';
      case 'boolean': case 'undefined': return String(value);
      case 'symbol': return value.toString();
    }
    if (value === null) return 'null';
    if (ctx.seen.includes(value)) {
      let id = ctx.circular.get(value);
      if (id === undefined) { id = ctx.circular.size + 1; ctx.circular.set(value, id); }
      return '[Circular *' + id + ']';
    }
    if (typeof value[customInspect] === 'function' && value[customInspect] !== Object.prototype[customInspect]) {
      return String(value[customInspect]((v) => inspect(v), { depth: ctx.depth - level }));
    }
    return formatObject(ctx, value, level);
  }

  function constructorName(value) {
    for (let proto = value; proto !== null; proto = Object.getPrototypeOf(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, 'constructor');
      if (d && typeof d.value === 'function' && d.value.name !== '') return d.value.name;
    }
    return null;
  }

  function formatObject(ctx, value, level) {
    const name = constructorName(value);
    const proto = Object.getPrototypeOf(value);
    let prefix = name === null ? '[Object: null prototype] ' : name === 'Object' ? '' : name + ' ';
    let braces = ['{', '}'];
    let arrayLike = false; // items grouped in columns when there are many
    let keys = Object.keys(value);
    const output = [];
    let base = '';
    let items = null; // already formatted entries (Map, Set, arrays)
    let source = value; // where the shown properties are read (a platform object's view)

    if (typeof value === 'function') {
      base = functionBase(value);
      keys = keys.filter(k => k !== 'prototype');
      if (keys.length === 0) return base;
      prefix = '';
    } else if (value instanceof Error) {
      base = value.stack ? String(value.stack) : String(value);
      keys = keys.filter(k => k !== 'stack' && k !== 'message');
      if (keys.length === 0) return base;
      prefix = '';
    } else if (value instanceof Date) {
      return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    } else if (value instanceof RegExp) {
      return String(value);
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof Symbol || value instanceof BigInt) {
      const inner = value.valueOf();
      const type = typeof inner === 'bigint' ? 'BigInt' : typeof inner === 'symbol' ? 'Symbol' : name;
      base = '[' + type + ': ' + formatValue(ctx, inner, level, true) + ']';
      if (value instanceof String) keys = keys.filter(k => !/^\d+$/.test(k) || Number(k) >= inner.length);
      if (keys.length === 0) return base;
      prefix = '';
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      return name + ' { <items unknown> }';
    } else if (value instanceof Promise) {
      return 'Promise { <unknown> }'; // a pending promise cannot be told from a settled one from inside the engine
    } else if (value instanceof ArrayBuffer) {
      const bytes = new Uint8Array(value, 0, Math.min(value.byteLength, 50));
      const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join(' ') + (value.byteLength > 50 ? ' ... ' + (value.byteLength - 50) + ' more bytes' : '');
      items = ['[Uint8Contents]: <' + hex + '>', 'byteLength: ' + value.byteLength];
    } else if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
      arrayLike = true;
      braces = ['[', ']'];
      prefix = Array.isArray(value) ? (name === 'Array' ? '' : name + '(' + value.length + ') ') : name + '(' + value.length + ') ';
      if (level > ctx.depth) return '[' + (name || 'Array') + ']';
      items = formatArrayItems(ctx, value, level);
      keys = keys.filter(k => !(/^(0|[1-9]\d*)$/.test(k) && Number(k) < value.length));
    } else if (value instanceof Map) {
      prefix = name + '(' + value.size + ') ';
      if (level > ctx.depth) return '[' + name + ']';
      items = [];
      ctx.seen.push(value);
      ctx.currentDepth = level;
      ctx.indentationLvl += 2;
      for (const [k, v] of value) items.push(formatValue(ctx, k, level + 1, true) + ' => ' + formatValue(ctx, v, level + 1, true));
      ctx.indentationLvl -= 2;
      ctx.seen.pop();
    } else if (value instanceof Set) {
      prefix = name + '(' + value.size + ') ';
      if (level > ctx.depth) return '[' + name + ']';
      items = [];
      ctx.seen.push(value);
      ctx.currentDepth = level;
      ctx.indentationLvl += 2;
      for (const v of value) items.push(formatValue(ctx, v, level + 1, true));
      ctx.indentationLvl -= 2;
      ctx.seen.pop();
    } else {
      const tag = value[Symbol.toStringTag];
      const view = typeof tag === 'string' && name === tag ? platformViews.get(tag) : undefined;
      if (view !== undefined) {
        const shown = view(value);
        prefix = tag + ' ';
        if (Array.isArray(shown)) { // [key, value] pairs, shown as a map is
          keys = [];
          items = Array.from(shown, ([k, v]) => formatValue(ctx, k, level + 1, true) + ' => ' + formatValue(ctx, v, level + 1, true));
        } else {
          source = shown;
          keys = Object.keys(shown);
        }
      } else if (typeof tag === 'string' && tag !== '' && tag !== name && !keys.includes(Symbol.toStringTag)) {
        prefix = (name === null ? '[Object: null prototype] ' : (name || 'Object') + ' ') + '[' + tag + '] ';
      }
    }

    if (level > ctx.depth) return '[' + (name === null ? 'Object: null prototype' : name) + ']';
    const symbols = source !== value ? [] : Object.getOwnPropertySymbols(value).filter(s => Object.getOwnPropertyDescriptor(value, s).enumerable);
    ctx.seen.push(value);
    // the depth of the deepest last descendant decides whether this fits on one line (empty objects do not count)
    if (items === null) { if (keys.length + symbols.length > 0) ctx.currentDepth = level; } else output.push(...items);
    for (const key of [...keys, ...symbols]) {
      const d = Object.getOwnPropertyDescriptor(source, key);
      let shown;
      if (d === undefined) continue;
      if (d.get || d.set) shown = d.get && d.set ? '[Getter/Setter]' : d.get ? '[Getter]' : '[Setter]';
      else {
        ctx.indentationLvl += 2;
        shown = formatValue(ctx, d.value, level + 1, true);
        ctx.indentationLvl -= 2;
      }
      output.push(formatKey(key) + ': ' + shown);
    }
    ctx.seen.pop();
    let result;
    if (output.length === 0 && base === '') result = prefix + braces[0] + braces[1];
    else result = reduceToSingleString(ctx, output, [base, prefix.trimEnd()].filter(Boolean).join(' '), braces, arrayLike, level, value);
    const id = ctx.circular.get(value);
    if (id !== undefined) result = '<ref *' + id + '> ' + result;
    return result;
  }

  function formatArrayItems(ctx, value, level) {
    const items = [];
    const shown = Math.min(value.length, MAX_ARRAY_ITEMS);
    ctx.seen.push(value);
    ctx.currentDepth = level;
    ctx.indentationLvl += 2;
    for (let i = 0; i < shown; i++) {
      if (!hasOwn(value, i)) {
        let holes = 1;
        while (i + holes < shown && !hasOwn(value, i + holes)) holes++;
        items.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
        i += holes - 1;
        continue;
      }
      items.push(formatValue(ctx, value[i], level + 1, true));
    }
    ctx.indentationLvl -= 2;
    ctx.seen.pop();
    if (value.length > shown) items.push('... ' + (value.length - shown) + ' more item' + (value.length - shown > 1 ? 's' : ''));
    return items;
  }

  // One line when it fits and holds few levels; else one entry per line, or many short array items in columns.
  function reduceToSingleString(ctx, output, base, braces, arrayLike, level, value) {
    const entries = output.length;
    if (arrayLike && entries > 6) output = groupArrayItems(ctx, output, value);
    if (ctx.currentDepth - level < COMPACT && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      let total = output.length + start;
      let fits = total + output.length <= BREAK_LENGTH;
      for (let i = 0; fits && i < output.length; i++) {
        total += output[i].length;
        if (total > BREAK_LENGTH) fits = false;
      }
      if (fits && !base.includes('\n')) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
      }
    }
    const indentation = '\n' + ' '.repeat(ctx.indentationLvl);
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' + output.join(',' + indentation + '  ') + indentation + braces[1];
  }

  // Many short items side by side, in as many columns as make a roughly square block within 80 columns
  // (numbers right-aligned, anything else left-aligned), as Deno and Node print long arrays.
  function groupArrayItems(ctx, output, value) {
    const count = output.length > 0 && output[output.length - 1].startsWith('... ') ? output.length - 1 : output.length;
    const separator = 2; // ", "
    let totalLength = 0;
    let maxLength = 0;
    for (let i = 0; i < count; i++) {
      totalLength += output[i].length + separator;
      maxLength = Math.max(maxLength, output[i].length);
    }
    const widest = maxLength + separator;
    if (widest * 3 + ctx.indentationLvl >= BREAK_LENGTH || (totalLength / widest <= 5 && maxLength > 6)) return output;
    const bias = Math.sqrt(widest - totalLength / output.length);
    const biasedMax = Math.max(widest - 3 - bias, 1);
    const columns = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
      Math.floor((BREAK_LENGTH - ctx.indentationLvl) / widest), COMPACT * 4, 15);
    if (columns <= 1) return output;
    const columnWidths = [];
    for (let c = 0; c < columns; c++) {
      let width = 0;
      for (let j = c; j < count; j += columns) width = Math.max(width, output[j].length);
      columnWidths.push(width + separator);
    }
    let numbers = true;
    for (let i = 0; i < count; i++) {
      if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { numbers = false; break; }
    }
    const rows = [];
    for (let i = 0; i < count; i += columns) {
      const last = Math.min(i + columns, count) - 1;
      let row = '';
      for (let j = i; j < last; j++) {
        const cell = output[j] + ', ';
        row += numbers ? cell.padStart(columnWidths[j - i]) : cell.padEnd(columnWidths[j - i]);
      }
      row += numbers ? output[last].padStart(columnWidths[last - i] - separator) : output[last];
      rows.push(row);
    }
    if (count < output.length) rows.push(output[count]);
    return rows;
  }

  function inspect(value, options = {}) {
    const depth = options && options.depth !== undefined ? (options.depth === null ? Infinity : Number(options.depth)) : 4;
    const ctx = { seen: [], circular: new Map(), indentationLvl: 0, currentDepth: 0, depth };
    let result = formatValue(ctx, value, 0, true);
    if (ctx.circular.size > 0 && ctx.circular.has(value) && !result.startsWith('<ref')) result = '<ref *1> ' + result;
    return result;
  }
  const shownAtTop = (value) => typeof value === 'string' ? value : inspect(value);

  // console.log's format string: %s %d %i %f %j %o %O %c and %%
  function format(args) {
    let first = args[0];
    let rest = 1;
    let out = '';
    if (typeof first === 'string' && args.length > 1 && first.includes('%')) {
      let i = 0;
      for (; i < first.length; i++) {
        const ch = first[i];
        if (ch !== '%' || i + 1 >= first.length) { out += ch; continue; }
        const spec = first[i + 1];
        if (spec === '%') { out += '%'; i++; continue; }
        if (!'sdifjoOc'.includes(spec)) { out += ch; continue; }
        if (rest >= args.length) { out += ch; continue; }
        const arg = args[rest++];
        i++;
        if (spec === 's') { try { out += typeof arg === 'symbol' ? arg.toString() : String(arg); } catch (e) { out += inspect(arg); } }
        else if (spec === 'd' || spec === 'i') out += typeof arg === 'bigint' ? String(arg) : typeof arg === 'symbol' ? 'NaN' : String(parseInt(arg));
        else if (spec === 'f') out += typeof arg === 'symbol' ? 'NaN' : String(parseFloat(arg));
        else if (spec === 'j') { try { out += JSON.stringify(arg); } catch (e) { out += '[Circular]'; } }
        else if (spec === 'o' || spec === 'O') out += inspect(arg);
        // %c: CSS, which a log line does not show
      }
      first = out;
    } else {
      first = shownAtTop(first);
    }
    let line = args.length === 0 ? '' : first;
    for (let i = rest; i < args.length; i++) line += ' ' + shownAtTop(args[i]);
    return line;
  }

  let groupIndent = '';
  function emit(level, text) {
    if (groupIndent !== '') text = groupIndent + text.split('\n').join('\n' + groupIndent);
    host.log('[' + level + '] ' + text);
  }
  function log(level, args) { emit(level, format(args)); }

  function table(data, properties) {
    if (data === null || typeof data !== 'object') return log('log', [data]);
    const rows = []; // [indexCell, Map(column -> cell), valueCell]
    const cell = (v) => ({ text: inspect(v, { depth: 1 }).replace(/\n\s*/g, ' '), number: typeof v === 'number' || typeof v === 'bigint' });
    let indexHeader = '(idx)';
    let keyColumn = false;
    const addRow = (index, value, key) => {
      const columns = new Map();
      let plain = null;
      if (value !== null && typeof value === 'object' || typeof value === 'function') {
        for (const k of Object.keys(value)) columns.set(k, cell(value[k]));
      } else {
        plain = cell(value);
      }
      rows.push({ index, key, columns, plain });
    };
    if (data instanceof Map) {
      indexHeader = '(iter idx)';
      keyColumn = true;
      let i = 0;
      for (const [k, v] of data) addRow({ text: String(i++), number: true }, v, cell(k));
    } else if (data instanceof Set) {
      indexHeader = '(iter idx)';
      let i = 0;
      for (const v of data) addRow({ text: String(i++), number: true }, v, null);
    } else {
      const isArray = Array.isArray(data);
      for (const k of Object.keys(data)) addRow({ text: k, number: isArray }, data[k], null);
    }
    let columnNames = [];
    if (properties !== undefined) columnNames = Array.from(properties, String);
    else for (const r of rows) for (const k of r.columns.keys()) if (!columnNames.includes(k)) columnNames.push(k);
    const hasValues = properties === undefined && rows.some(r => r.plain !== null);
    const headers = [indexHeader, ...(keyColumn ? ['Key'] : []), ...columnNames, ...(hasValues ? ['Values'] : [])];
    const body = rows.map(r => [r.index, ...(keyColumn ? [r.key] : []), ...columnNames.map(c => r.columns.get(c) || null), ...(hasValues ? [r.plain] : [])]);
    const widths = headers.map((h, c) => Math.max(h.length, ...body.map(row => row[c] ? row[c].text.length : 0)) + 2);
    const rightAligned = headers.map((h, c) => body.some(row => row[c]) && body.every(row => !row[c] || row[c].number));
    const line = (l, m, r) => l + widths.map(w => '─'.repeat(w)).join(m) + r;
    const lines = [line('┌', '┬', '┐'), '│' + headers.map((h, c) => ' ' + h.padEnd(widths[c] - 1)).join('│') + '│', line('├', '┼', '┤')];
    for (const row of body) {
      lines.push('│' + row.map((x, c) => {
        const text = x ? x.text : '';
        return rightAligned[c] ? text.padStart(widths[c] - 1) + ' ' : ' ' + text.padEnd(widths[c] - 1);
      }).join('│') + '│');
    }
    lines.push(line('└', '┴', '┘'));
    emit('log', lines.join('\n'));
  }

  function elapsed(label) {
    const ms = now() - timersByLabel.get(label);
    return label + ': ' + (ms >= 100 ? Math.round(ms).toFixed(0) : ms >= 1 ? ms.toPrecision(3) : ms.toFixed(3)) + 'ms';
  }
  // the caller's stack without the prelude's own frames
  function callerStack() {
    return String(new Error().stack).split('\n').filter(l => /^\s+at /.test(l) && !l.includes('valence:')).join('\n');
  }

  const counters = new Map();
  const timersByLabel = new Map();
  const noop = () => {};
  const consoleObject = {
    log: (...a) => log('log', a),
    info: (...a) => log('info', a),
    debug: (...a) => log('debug', a),
    warn: (...a) => log('warn', a),
    error: (...a) => log('error', a),
    dirxml: (...a) => log('log', a),
    dir: (value, options) => emit('log', inspect(value, options)),
    table,
    trace: (...a) => { const stack = callerStack(); emit('trace', 'Trace' + (a.length ? ': ' + format(a) : '') + (stack ? '\n' + stack : '')); },
    assert: (condition = false, ...a) => {
      if (condition) return;
      if (a.length === 0) log('error', ['Assertion failed']);
      else if (typeof a[0] === 'string') log('error', ['Assertion failed: ' + a[0], ...a.slice(1)]);
      else log('error', ['Assertion failed:', ...a]);
    },
    count: (label = 'default') => { label = String(label); const n = (counters.get(label) || 0) + 1; counters.set(label, n); emit('info', label + ': ' + n); },
    countReset: (label = 'default') => {
      label = String(label);
      if (counters.has(label)) counters.set(label, 0); else emit('warn', "Count for '" + label + "' does not exist");
    },
    time: (label = 'default') => {
      label = String(label);
      if (timersByLabel.has(label)) emit('warn', "Timer '" + label + "' already exists"); else timersByLabel.set(label, now());
    },
    timeLog: (label = 'default', ...a) => {
      label = String(label);
      if (!timersByLabel.has(label)) emit('warn', "Timer '" + label + "' does not exist");
      else log('info', [elapsed(label), ...a]);
    },
    timeEnd: (label = 'default') => {
      label = String(label);
      if (!timersByLabel.has(label)) { emit('warn', "Timer '" + label + "' does not exist"); return; }
      emit('info', elapsed(label));
      timersByLabel.delete(label);
    },
    group: (...label) => { if (label.length > 0) log('log', label); groupIndent += '  '; },
    groupCollapsed: (...label) => { if (label.length > 0) log('log', label); groupIndent += '  '; },
    groupEnd: () => { groupIndent = groupIndent.slice(2); },
    clear: noop,
    profile: noop,
    profileEnd: noop,
    timeStamp: noop,
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
    get [Symbol.toStringTag]() { return 'TextEncoder'; }
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
    get [Symbol.toStringTag]() { return 'TextDecoder'; }
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
  // the legacy code constants (DOMException.ABORT_ERR === 20), on the class and its prototype as WebIDL puts them
  ['INDEX_SIZE_ERR', 'DOMSTRING_SIZE_ERR', 'HIERARCHY_REQUEST_ERR', 'WRONG_DOCUMENT_ERR', 'INVALID_CHARACTER_ERR',
    'NO_DATA_ALLOWED_ERR', 'NO_MODIFICATION_ALLOWED_ERR', 'NOT_FOUND_ERR', 'NOT_SUPPORTED_ERR', 'INUSE_ATTRIBUTE_ERR',
    'INVALID_STATE_ERR', 'SYNTAX_ERR', 'INVALID_MODIFICATION_ERR', 'NAMESPACE_ERR', 'INVALID_ACCESS_ERR', 'VALIDATION_ERR',
    'TYPE_MISMATCH_ERR', 'SECURITY_ERR', 'NETWORK_ERR', 'ABORT_ERR', 'URL_MISMATCH_ERR', 'QUOTA_EXCEEDED_ERR', 'TIMEOUT_ERR',
    'INVALID_NODE_TYPE_ERR', 'DATA_CLONE_ERR'].forEach((name, i) => {
    Object.defineProperty(DOMException, name, { value: i + 1, enumerable: true });
    Object.defineProperty(DOMException.prototype, name, { value: i + 1, enumerable: true });
  });
  define('DOMException', DOMException);
  // Deno 2.9 (as the WebIDL standard now says) throws a QuotaExceededError subclass, carrying the quota and
  // the amount requested when known (null otherwise).
  class QuotaExceededError extends DOMException {
    #quota; #requested;
    constructor(message = '', options = undefined) {
      super(message, 'QuotaExceededError');
      const quota = options && options.quota !== undefined ? Number(options.quota) : null;
      const requested = options && options.requested !== undefined ? Number(options.requested) : null;
      if (quota !== null && !(quota >= 0)) throw new RangeError("Failed to construct 'QuotaExceededError': quota must not be negative");
      if (requested !== null && !(requested >= 0)) throw new RangeError("Failed to construct 'QuotaExceededError': requested must not be negative");
      this.#quota = quota; this.#requested = requested;
    }
    get quota() { return this.#quota; }
    get requested() { return this.#requested; }
    get [Symbol.toStringTag]() { return 'QuotaExceededError'; }
  }
  define('QuotaExceededError', QuotaExceededError);
  define('btoa', btoa);
  define('atob', atob);

  // ---------------------------------------------------------------- crypto
  const DIGESTS = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);
  // Keys, signatures, ciphers and derivation (js/webcrypto.js, on the JDK's providers): loaded the
  // first time a val uses one, since most vals never do.
  let webCrypto = null;
  function loadWebCrypto() {
    if (webCrypto === null) webCrypto = host.crypto.load()(host.crypto, DOMException, toBytes, utf8Encode, utf8Decode);
    return webCrypto;
  }
  // Crypto and SubtleCrypto are classes as in Deno (crypto instanceof Crypto); only the prelude makes them.
  const CRYPTO_INSTANCE = Symbol('crypto instance');
  class SubtleCrypto {
    constructor(key) { if (key !== CRYPTO_INSTANCE) throw new TypeError('Illegal constructor'); }
    /** SHA-1/256/384/512 digests, computed by the host (java.security.MessageDigest). */
    digest(algorithm, data) {
      return new Promise(resolve => {
        const name = String(typeof algorithm === 'object' && algorithm !== null ? algorithm.name : algorithm).toUpperCase();
        if (!DIGESTS.has(name)) throw new DOMException("crypto.subtle.digest: unrecognized algorithm '" + name + "' (SHA-1, SHA-256, SHA-384 and SHA-512 are supported)", 'NotSupportedError');
        const bytes = toBytes(data, 'crypto.subtle.digest').slice();
        resolve(new Uint8Array(host.web.digest(name, bytes.buffer)).slice().buffer);
      });
    }
    encrypt(algorithm, key, data) { return loadWebCrypto().subtle.encrypt(algorithm, key, data); }
    decrypt(algorithm, key, data) { return loadWebCrypto().subtle.decrypt(algorithm, key, data); }
    sign(algorithm, key, data) { return loadWebCrypto().subtle.sign(algorithm, key, data); }
    verify(algorithm, key, signature, data) { return loadWebCrypto().subtle.verify(algorithm, key, signature, data); }
    generateKey(algorithm, extractable, keyUsages) { return loadWebCrypto().subtle.generateKey(algorithm, extractable, keyUsages); }
    deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      return loadWebCrypto().subtle.deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages);
    }
    deriveBits(algorithm, baseKey, length = null) { return loadWebCrypto().subtle.deriveBits(algorithm, baseKey, length); }
    importKey(format, keyData, algorithm, extractable, keyUsages) {
      return loadWebCrypto().subtle.importKey(format, keyData, algorithm, extractable, keyUsages);
    }
    exportKey(format, key) { return loadWebCrypto().subtle.exportKey(format, key); }
    wrapKey(format, key, wrappingKey, wrapAlgorithm) { return loadWebCrypto().subtle.wrapKey(format, key, wrappingKey, wrapAlgorithm); }
    unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      return loadWebCrypto().subtle.unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages);
    }
    get [Symbol.toStringTag]() { return 'SubtleCrypto'; }
  }
  const subtle = new SubtleCrypto(CRYPTO_INSTANCE);
  Object.defineProperty(global, 'CryptoKey', {
    configurable: true,
    enumerable: false,
    get() { define('CryptoKey', loadWebCrypto().CryptoKey); return global.CryptoKey; },
    set(value) { define('CryptoKey', value); },
  });
  class Crypto {
    constructor(key) { if (key !== CRYPTO_INSTANCE) throw new TypeError('Illegal constructor'); }
    get subtle() { return subtle; }
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array)) throw new TypeError('crypto.getRandomValues: expected an integer typed array');
      if (array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
        // WebCrypto: a view that is not an integer typed array is a TypeMismatchError, not a TypeError
        throw new DOMException('crypto.getRandomValues: expected an integer typed array, got a ' + array.constructor.name, 'TypeMismatchError');
      }
      if (array.byteLength > 65536) {
        throw new QuotaExceededError("The ArrayBufferView's byte length (" + array.byteLength + ') exceeds the number of bytes of entropy available via this API (65536)');
      }
      const random = new Uint8Array(host.randomBytes(array.byteLength));
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(random);
      return array;
    }
    randomUUID() { return host.randomUUID(); }
    get [Symbol.toStringTag]() { return 'Crypto'; }
  }
  // WebIDL puts the attribute's getter on the prototype as an enumerable property, as Deno shows it
  Object.defineProperty(Crypto.prototype, 'subtle', { enumerable: true });
  define('Crypto', Crypto);
  define('SubtleCrypto', SubtleCrypto);
  define('crypto', new Crypto(CRYPTO_INSTANCE));
  // node:crypto's createHash and createHmac (js/node/crypto.js, which npm packages import) reach the JDK
  // through this binding; guest code that finds it gets nothing beyond what importing node:crypto gives.
  define(Symbol.for('valence.node.hashes'), Object.freeze({
    open: (algorithm, key) => host.nodeHashes.open(algorithm, key),
    update: (handle, buffer, byteOffset, byteLength) => host.nodeHashes.update(handle, buffer, byteOffset, byteLength),
    digest: (handle) => host.nodeHashes.digest(handle),
    copy: (handle) => host.nodeHashes.copy(handle),
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
    #type; #bubbles; #cancelable; #composed; #canceled = false; #timeStamp = Date.now();
    constructor(type, init = {}) {
      if (arguments.length === 0) throw new TypeError("Event: the 'type' argument is required");
      this.#type = String(type);
      this.#bubbles = !!(init && init.bubbles);
      this.#cancelable = !!(init && init.cancelable);
      this.#composed = !!(init && init.composed);
      eventState.set(this, { target: null, current: null, stop: false, stopImmediate: false });
    }
    get type() { return this.#type; }
    get target() { return eventState.get(this).target; }
    get currentTarget() { return eventState.get(this).current; }
    get srcElement() { return this.target; }
    get bubbles() { return this.#bubbles; }
    get composed() { return this.#composed; }
    get cancelable() { return this.#cancelable; }
    get defaultPrevented() { return this.#canceled; }
    get returnValue() { return !this.#canceled; }
    set returnValue(value) { if (!value) this.preventDefault(); }
    get cancelBubble() { return eventState.get(this).stop; }
    set cancelBubble(value) { if (value) this.stopPropagation(); }
    get isTrusted() { return false; }
    get timeStamp() { return this.#timeStamp; }
    get eventPhase() { return eventState.get(this).current ? 2 : 0; }
    preventDefault() { if (this.#cancelable) this.#canceled = true; }
    stopPropagation() { eventState.get(this).stop = true; }
    stopImmediatePropagation() { const s = eventState.get(this); s.stop = true; s.stopImmediate = true; }
    composedPath() { const c = eventState.get(this).current; return c ? [c] : []; }
    get [Symbol.toStringTag]() { return 'Event'; }
    static NONE = 0; static CAPTURING_PHASE = 1; static AT_TARGET = 2; static BUBBLING_PHASE = 3;
  }
  for (const [name, value] of [['NONE', 0], ['CAPTURING_PHASE', 1], ['AT_TARGET', 2], ['BUBBLING_PHASE', 3]]) {
    Object.defineProperty(Event.prototype, name, { value, enumerable: true });
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = {}) {
      super(type, init);
      this.#detail = init && init.detail !== undefined ? init.detail : null;
    }
    get detail() { return this.#detail; }
    get [Symbol.toStringTag]() { return 'CustomEvent'; }
  }

  class ErrorEvent extends Event {
    #message; #filename; #lineno; #colno; #error;
    constructor(type, init = {}) {
      super(type, init);
      init = init || {};
      this.#message = init.message === undefined ? '' : String(init.message);
      this.#filename = init.filename === undefined ? '' : String(init.filename);
      this.#lineno = init.lineno === undefined ? 0 : Number(init.lineno) >>> 0;
      this.#colno = init.colno === undefined ? 0 : Number(init.colno) >>> 0;
      this.#error = init.error;
    }
    get message() { return this.#message; }
    get filename() { return this.#filename; }
    get lineno() { return this.#lineno; }
    get colno() { return this.#colno; }
    get error() { return this.#error; }
    get [Symbol.toStringTag]() { return 'ErrorEvent'; }
  }
  // The event type of unhandledrejection/rejectionhandled in browsers and Deno; a val can make and dispatch one.
  class PromiseRejectionEvent extends Event {
    #promise; #reason;
    constructor(type, init = undefined) {
      super(type, init);
      this.#promise = init ? init.promise : undefined;
      this.#reason = init ? init.reason : undefined;
    }
    get promise() { return this.#promise; }
    get reason() { return this.#reason; }
    get [Symbol.toStringTag]() { return 'PromiseRejectionEvent'; }
  }

  // Listeners are kept by target (not in a private field) so that the global object, which no
  // constructor made, is an EventTarget too (addEventListener('error', ...) on globalThis, as in Deno).
  const listenersOf = new WeakMap(); // target -> Map(type -> [{ listener, once, capture, removed }])
  function listenerMap(target) {
    let map = listenersOf.get(target);
    if (map === undefined) {
      if (target === null || (typeof target !== 'object' && typeof target !== 'function')) throw new TypeError('EventTarget: illegal invocation');
      map = new Map();
      listenersOf.set(target, map);
    }
    return map;
  }

  class EventTarget {
    constructor() { listenerMap(this); }
    addEventListener(type, listener, options) {
      if (listener === null || listener === undefined) return;
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const once = !!(options && typeof options === 'object' && options.once);
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (signal && signal.aborted) return;
      type = String(type);
      const target = this ?? global; // a bare addEventListener(...) is the global object's
      const listeners = listenerMap(target);
      const list = listeners.get(type) || [];
      if (list.some(l => l.listener === listener && l.capture === capture)) return;
      list.push({ listener, once, capture, removed: false });
      listeners.set(type, list);
      if (signal) signal.addEventListener('abort', () => target.removeEventListener(type, listener, { capture }));
    }
    removeEventListener(type, listener, options) {
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const list = listenerMap(this ?? global).get(String(type));
      if (!list) return;
      const i = list.findIndex(l => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError('dispatchEvent: expected an Event');
      const target = this ?? global;
      const state = eventState.get(event);
      state.target = target;
      state.current = target;
      state.stop = false;
      state.stopImmediate = false;
      for (const entry of (listenerMap(target).get(event.type) || []).slice()) {
        if (entry.removed) continue;
        if (entry.once) target.removeEventListener(event.type, entry.listener, { capture: entry.capture });
        try {
          if (typeof entry.listener === 'function') entry.listener.call(target, event);
          else if (entry.listener && typeof entry.listener.handleEvent === 'function') entry.listener.handleEvent(event);
        } catch (e) {
          reportException(e);
        }
        if (state.stopImmediate) break;
      }
      state.current = null;
      return !event.defaultPrevented;
    }
    get [Symbol.toStringTag]() { return 'EventTarget'; }
  }

  // Event handler attributes (onabort, onerror, onmessage): setting one registers a listener at that
  // point of the listener list, replacing its value keeps that place, null removes it (HTML's rules).
  const handlerSlots = new WeakMap(); // target -> Map(type -> { value, listener })
  function defineEventHandler(object, type, enumerable = true) {
    const slotsOf = (target) => {
      let slots = handlerSlots.get(target);
      if (slots === undefined) { slots = new Map(); handlerSlots.set(target, slots); }
      return slots;
    };
    Object.defineProperty(object, 'on' + type, {
      configurable: true,
      enumerable,
      get() { const slot = slotsOf(this).get(type); return slot ? slot.value : null; },
      set(value) {
        const slots = slotsOf(this);
        const slot = slots.get(type);
        if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
          if (slot) { EventTarget.prototype.removeEventListener.call(this, type, slot.listener); slots.delete(type); }
          return;
        }
        if (slot) { slot.value = value; return; }
        const fresh = { value, listener: null };
        fresh.listener = function (event) {
          if (typeof fresh.value !== 'function') return;
          const result = fresh.value.call(this, event);
          // an error handler returning true, any other handler returning false, cancels the event
          if (type === 'error' && event instanceof ErrorEvent ? result === true : result === false) event.preventDefault();
        };
        slots.set(type, fresh);
        EventTarget.prototype.addEventListener.call(this, type, fresh.listener);
      },
    });
  }

  define('Event', Event);
  define('EventTarget', EventTarget);
  define('CustomEvent', CustomEvent);
  define('ErrorEvent', ErrorEvent);
  define('PromiseRejectionEvent', PromiseRejectionEvent);

  // The global object is an EventTarget, as in Deno and browsers: error events from reportError and
  // from throwing listeners are dispatched on it.
  Object.setPrototypeOf(global, EventTarget.prototype);
  listenerMap(global);
  defineEventHandler(global, 'error', false); // like every other global, not listed by Object.keys(globalThis)
  define('self', global);

  // where an error was thrown (its stack's first frame), else where reportError was called (the first frame outside the prelude)
  function errorLocation(error) {
    const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : new Error().stack;
    const frames = String(stack).split('\n').filter(l => /^\s+at /.test(l) && !l.includes('valence:'));
    const frame = frames[0];
    const m = frame ? /\(?([^\s()]+):(\d+):(\d+)\)?\s*$/.exec(frame) : null;
    return m ? { filename: m[1], lineno: Number(m[2]), colno: Number(m[3]) } : { filename: '', lineno: 0, colno: 0 };
  }
  function uncaughtMessage(error) {
    if (error instanceof Error) return 'Uncaught ' + (error.name || 'Error') + (error.message ? ': ' + error.message : '');
    return 'Uncaught ' + inspect(error);
  }
  /** HTML's "report an exception": an ErrorEvent on the global object; logged unless a handler cancels it. */
  function reportException(error) {
    const event = new ErrorEvent('error', { message: uncaughtMessage(error), error, cancelable: true, ...errorLocation(error) });
    global.dispatchEvent(event);
    if (!event.defaultPrevented) log('error', [error instanceof Error ? 'Uncaught ' + (error.stack || error) : uncaughtMessage(error)]);
  }
  define('reportError', function reportError(error) {
    if (arguments.length === 0) throw new TypeError("reportError: the 'error' argument is required");
    reportException(error);
  });

  const INTERNAL = Symbol('internal');
  let signalAbort;
  class AbortSignal extends EventTarget {
    #aborted = false; #reason = undefined;
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
        signal.dispatchEvent(new Event('abort'));
      };
    }
  }
  defineEventHandler(AbortSignal.prototype, 'abort');
  class AbortController {
    #signal = new AbortSignal(INTERNAL);
    get signal() { return this.#signal; }
    abort(reason) { signalAbort(this.#signal, reason); }
    get [Symbol.toStringTag]() { return 'AbortController'; }
  }
  define('AbortSignal', AbortSignal);
  define('AbortController', AbortController);

  // ---------------------------------------------------------------- performance (High Resolution Time, User Timing)
  // now() is monotonic, in milliseconds with a fraction, counted from timeOrigin: when this context
  // was made. Marks and measures stay in the context's timeline until cleared, as in Deno.
  const ILLEGAL = Symbol('illegal constructor guard');
  const now = () => host.now();
  let entryInit;
  class PerformanceEntry {
    #name; #entryType; #startTime; #duration;
    constructor(key, name, entryType, startTime, duration) {
      if (key !== ILLEGAL) throw new TypeError('Illegal constructor');
      this.#name = name; this.#entryType = entryType; this.#startTime = startTime; this.#duration = duration;
    }
    get name() { return this.#name; }
    get entryType() { return this.#entryType; }
    get startTime() { return this.#startTime; }
    get duration() { return this.#duration; }
    toJSON() { return { name: this.#name, entryType: this.#entryType, startTime: this.#startTime, duration: this.#duration }; }
    get [Symbol.toStringTag]() { return 'PerformanceEntry'; }
  }
  function cloneDetail(detail) { return detail === undefined || detail === null ? null : structuredClone(detail); }
  class PerformanceMark extends PerformanceEntry {
    #detail;
    constructor(name, options = undefined) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'PerformanceMark': 1 argument required, but only 0 present");
      const startTime = options && options.startTime !== undefined ? Number(options.startTime) : now();
      if (startTime < 0) throw new TypeError('Cannot construct PerformanceMark: startTime cannot be negative, received ' + startTime);
      super(ILLEGAL, String(name), 'mark', startTime, 0);
      this.#detail = cloneDetail(options ? options.detail : undefined);
    }
    get detail() { return this.#detail; }
    get entryType() { return 'mark'; }
    toJSON() { return { ...super.toJSON(), detail: this.#detail }; }
    get [Symbol.toStringTag]() { return 'PerformanceMark'; }
  }
  class PerformanceMeasure extends PerformanceEntry {
    #detail;
    constructor(key, name, startTime, duration, detail) {
      super(key, name, 'measure', startTime, duration);
      this.#detail = detail;
    }
    get detail() { return this.#detail; }
    get entryType() { return 'measure'; }
    toJSON() { return { ...super.toJSON(), detail: this.#detail }; }
    get [Symbol.toStringTag]() { return 'PerformanceMeasure'; }
  }
  const timeline = []; // marks and measures in the order they were made (as Deno lists them)
  function markTime(mark) {
    if (typeof mark === 'number') {
      if (mark < 0) throw new TypeError('performance.measure: a time cannot be negative, received ' + mark);
      return mark;
    }
    for (let i = timeline.length - 1; i >= 0; i--) {
      if (timeline[i].name === mark && timeline[i] instanceof PerformanceMark) return timeline[i].startTime;
    }
    throw new DOMException('Cannot find mark: "' + mark + '"', 'SyntaxError');
  }
  class Performance extends EventTarget {
    constructor(key) {
      if (key !== ILLEGAL) throw new TypeError('Illegal constructor');
      super();
    }
    get timeOrigin() { return host.timeOrigin; }
    now() { return now(); }
    mark(name, options = undefined) {
      const mark = new PerformanceMark(name, options);
      timeline.push(mark);
      if (observers.size !== 0) observeEntry(mark);
      return mark;
    }
    measure(name, startOrOptions = undefined, endMark = undefined) {
      name = String(name);
      let start, end, detail = null;
      if (startOrOptions !== null && typeof startOrOptions === 'object') {
        if (endMark !== undefined) throw new TypeError('performance.measure: give either an options object or an end mark, not both');
        const o = startOrOptions;
        if (o.start !== undefined && o.end !== undefined && o.duration !== undefined) {
          throw new TypeError('performance.measure: start, end and duration cannot all be given');
        }
        end = o.end !== undefined ? markTime(o.end) : o.start !== undefined && o.duration !== undefined ? markTime(o.start) + Number(o.duration) : now();
        start = o.start !== undefined ? markTime(o.start) : o.duration !== undefined && o.end !== undefined ? end - Number(o.duration) : 0;
        detail = cloneDetail(o.detail);
      } else {
        end = endMark !== undefined ? markTime(String(endMark)) : now();
        start = startOrOptions !== undefined ? markTime(String(startOrOptions)) : 0;
      }
      const measure = new PerformanceMeasure(ILLEGAL, name, start, end - start, detail);
      timeline.push(measure);
      if (observers.size !== 0) observeEntry(measure);
      return measure;
    }
    getEntries() { return timeline.slice(); }
    getEntriesByName(name, type = undefined) {
      name = String(name);
      return timeline.filter(e => e.name === name && (type === undefined || e.entryType === String(type)));
    }
    getEntriesByType(type) { type = String(type); return timeline.filter(e => e.entryType === type); }
    clearMarks(name = undefined) { clearEntries(PerformanceMark, name); }
    clearMeasures(name = undefined) { clearEntries(PerformanceMeasure, name); }
    // a val has no resource timing entries (its fetches are not recorded), so there is nothing to clear or size
    clearResourceTimings() {}
    setResourceTimingBufferSize(maxSize) {}
    toJSON() { return { timeOrigin: this.timeOrigin }; }
    get [Symbol.toStringTag]() { return 'Performance'; }
  }
  function clearEntries(kind, name) {
    for (let i = timeline.length - 1; i >= 0; i--) {
      if (timeline[i] instanceof kind && (name === undefined || timeline[i].name === String(name))) timeline.splice(i, 1);
    }
  }
  // PerformanceObserver: mark and measure entries reach an observer's callback in a microtask queued by
  // the first entry after the last delivery (Deno's order: before microtasks queued after that entry).
  const observers = new Set();
  let observeEntry, deliverRecords, deliveryQueued = false;
  function queueDelivery() {
    if (!deliveryQueued) { deliveryQueued = true; Promise.resolve().then(deliverRecords); }
  }
  class PerformanceObserverEntryList {
    #entries;
    constructor(key, entries) {
      if (key !== ILLEGAL) throw new TypeError('Illegal constructor');
      this.#entries = entries;
    }
    getEntries() { return this.#entries.slice(); }
    getEntriesByType(type) { type = String(type); return this.#entries.filter(e => e.entryType === type); }
    getEntriesByName(name, type = undefined) {
      name = String(name);
      return this.#entries.filter(e => e.name === name && (type === undefined || e.entryType === String(type)));
    }
    get [Symbol.toStringTag]() { return 'PerformanceObserverEntryList'; }
  }
  class PerformanceObserver {
    #callback; #types = new Set(); #buffer = [];
    constructor(callback) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'PerformanceObserver': 1 argument required, but only 0 present");
      if (typeof callback !== 'function') throw new TypeError("Failed to construct 'PerformanceObserver': the callback is not a function");
      this.#callback = callback;
    }
    static get supportedEntryTypes() { return ['mark', 'measure']; }
    observe(options = {}) {
      const { entryTypes, type, buffered } = options || {};
      if (entryTypes === undefined && type === undefined) {
        throw new TypeError("Failed to execute 'observe' on 'PerformanceObserver': Either 'entryTypes' or 'type' must be specified.");
      }
      if (entryTypes !== undefined && type !== undefined) {
        throw new TypeError("Failed to execute 'observe' on 'PerformanceObserver': Cannot specify both 'entryTypes' and 'type'.");
      }
      // types other than mark and measure are ignored, as the standard says for unsupported ones
      const types = (entryTypes !== undefined ? Array.from(entryTypes, String) : [String(type)]).filter(t => t === 'mark' || t === 'measure');
      if (types.length === 0) return;
      if (entryTypes !== undefined) this.#types.clear();
      for (const t of types) this.#types.add(t);
      observers.add(this);
      if (type !== undefined && buffered) {
        for (const entry of timeline) if (entry.entryType === types[0]) this.#buffer.push(entry);
        queueDelivery();
      }
    }
    disconnect() { observers.delete(this); this.#types.clear(); this.#buffer = []; }
    takeRecords() { const records = this.#buffer; this.#buffer = []; return records; }
    get [Symbol.toStringTag]() { return 'PerformanceObserver'; }
    static {
      observeEntry = entry => {
        for (const observer of observers) if (observer.#types.has(entry.entryType)) observer.#buffer.push(entry);
        queueDelivery();
      };
      deliverRecords = () => {
        deliveryQueued = false;
        for (const observer of [...observers]) {
          if (observer.#buffer.length === 0) continue;
          const list = new PerformanceObserverEntryList(ILLEGAL, observer.#buffer);
          observer.#buffer = [];
          try { observer.#callback.call(observer, list, observer); } catch (error) { global.reportError(error); }
        }
      };
    }
  }
  define('PerformanceEntry', PerformanceEntry);
  define('PerformanceMark', PerformanceMark);
  define('PerformanceMeasure', PerformanceMeasure);
  define('PerformanceObserver', PerformanceObserver);
  define('PerformanceObserverEntryList', PerformanceObserverEntryList);
  define('Performance', Performance);
  define('performance', new Performance(ILLEGAL));

  // ---------------------------------------------------------------- navigator
  class Navigator {
    constructor(key) { if (key !== ILLEGAL) throw new TypeError('Illegal constructor'); }
    get userAgent() { return host.userAgent; }
    get language() { return 'en-US'; }
    get languages() { return ['en-US']; }
    get hardwareConcurrency() { return host.hardwareConcurrency; }
    get platform() { return host.platform; }
    get [Symbol.toStringTag]() { return 'Navigator'; }
  }
  define('Navigator', Navigator);
  define('navigator', new Navigator(ILLEGAL));

  // ---------------------------------------------------------------- MessageChannel, MessagePort, MessageEvent
  // Both ports live in the val's own context: a message is a structured clone delivered as a task of
  // the invocation's event loop (a 0 ms timer), once the receiving port is started (onmessage starts it).
  class MessageEvent extends Event {
    #data; #origin; #lastEventId; #source; #ports;
    constructor(type, init = {}) {
      super(type, init);
      init = init || {};
      this.#data = init.data === undefined ? null : init.data;
      this.#origin = init.origin === undefined ? '' : String(init.origin);
      this.#lastEventId = init.lastEventId === undefined ? '' : String(init.lastEventId);
      this.#source = init.source === undefined ? null : init.source;
      this.#ports = Object.freeze(Array.from(init.ports || []));
    }
    get data() { return this.#data; }
    get origin() { return this.#origin; }
    get lastEventId() { return this.#lastEventId; }
    get source() { return this.#source; }
    get ports() { return this.#ports; }
    get [Symbol.toStringTag]() { return 'MessageEvent'; }
  }
  let entangle;
  class MessagePort extends EventTarget {
    #other = null; #queue = []; #started = false; #closed = false;
    constructor(key) {
      if (key !== ILLEGAL) throw new TypeError('Illegal constructor');
      super();
    }
    postMessage(message, transfer = undefined) {
      if (arguments.length === 0) throw new TypeError("MessagePort.postMessage: the 'message' argument is required");
      if (transfer !== undefined && !Array.isArray(transfer) && !(transfer && Array.isArray(transfer.transfer))) {
        throw new TypeError('MessagePort.postMessage: transfer must be an array or { transfer: [...] }');
      }
      const data = structuredClone(message);
      const target = this.#other;
      if (this.#closed || target === null || target.#closed) return;
      target.#queue.push(data);
      if (target.#started) target.#deliverSoon();
    }
    start() {
      if (this.#started) return;
      this.#started = true;
      if (this.#queue.length > 0) this.#deliverSoon();
    }
    close() {
      this.#closed = true;
      this.#queue = [];
      if (this.#other !== null) { this.#other.#other = null; this.#other = null; }
    }
    #deliverSoon() {
      addTimer('MessagePort', () => {
        if (this.#closed || this.#queue.length === 0) return;
        this.dispatchEvent(new MessageEvent('message', { data: this.#queue.shift() }));
      }, 0, [], false);
    }
    get [Symbol.toStringTag]() { return 'MessagePort'; }
    static {
      entangle = (a, b) => { a.#other = b; b.#other = a; };
    }
  }
  defineEventHandler(MessagePort.prototype, 'message');
  defineEventHandler(MessagePort.prototype, 'messageerror');
  // setting onmessage starts the port, as HTML says
  const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    ...onmessage,
    set(value) { onmessage.set.call(this, value); if (value !== null && value !== undefined) this.start(); },
  });
  class MessageChannel {
    #port1 = new MessagePort(ILLEGAL); #port2 = new MessagePort(ILLEGAL);
    constructor() { entangle(this.#port1, this.#port2); }
    get port1() { return this.#port1; }
    get port2() { return this.#port2; }
    get [Symbol.toStringTag]() { return 'MessageChannel'; }
  }
  define('MessageEvent', MessageEvent);
  define('MessagePort', MessagePort);
  define('MessageChannel', MessageChannel);

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

  let headersFromWire, immutableHeaders, headersToWire; // set by Headers' static block
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
    // the prelude's own ways in (closures, so that a val sees no extra members on Headers)
    static {
      headersFromWire = raw => {
        const h = new Headers();
        if (raw) {
          const parts = raw.split('\0');
          for (let i = 0; i + 1 < parts.length; i += 2) h.#appendTrusted(parts[i], parts[i + 1]);
        }
        return h;
      };
      immutableHeaders = h => { h.#guard = 'immutable'; return h; };
      headersToWire = h => {
        let out = '';
        for (const [k, v] of h.#map) {
          if (Array.isArray(v)) { for (const c of v) out += k + '\0' + c + '\0'; } else out += k + '\0' + v + '\0';
        }
        return out;
      };
    }
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

  // An email val's message arrives as JSON with its attachments in base64; the val gets them as Files.
  const B64_VALUES = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) B64_VALUES['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
  function base64Bytes(text) {
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 61) end--; // '=' padding
    const out = new Uint8Array(Math.floor(end * 3 / 4));
    let buffer = 0, bits = 0, at = 0;
    for (let i = 0; i < end; i++) {
      buffer = ((buffer << 6) | B64_VALUES[text.charCodeAt(i)]) & 0xffffff;
      bits += 6;
      if (bits >= 8) { bits -= 8; out[at++] = (buffer >> bits) & 0xff; }
    }
    return out;
  }
  function emailMessage(message) {
    if (message === null || typeof message !== 'object' || !Array.isArray(message.attachments)) return message;
    // the host decodes when it can (a val's context has it): guest JavaScript takes seconds for megabytes
    const decoded = (text) => {
      if (typeof host.base64Into !== 'function') return base64Bytes(text);
      let padding = 0;
      while (padding < 2 && text.charCodeAt(text.length - 1 - padding) === 61) padding++;
      const out = new Uint8Array(Math.floor(text.length * 3 / 4) - padding);
      return host.base64Into(text, out.buffer) === out.byteLength ? out : base64Bytes(text);
    };
    message.attachments = message.attachments.map(a => new File([decoded(a.content)], a.filename, { type: a.contentType }));
    return message;
  }

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

  let initBody, hasBody, cloneBody, takeBody; // set by Body's static block
  class Body {
    #data = null; #hostBytes = null; #stream = null; #used = false;
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
    // the prelude's own ways in (closures, so that a val sees no extra members on Request and Response)
    static {
      initBody = (b, data, hostBytes, stream) => {
        b.#data = data; b.#hostBytes = hostBytes === undefined ? null : hostBytes; b.#stream = stream === undefined ? null : stream;
      };
      hasBody = b => b.#data !== null || b.#hostBytes !== null || b.#stream !== null;
      // a copy of the body for clone(): streams are teed
      cloneBody = b => {
        if (b.#stream !== null) {
          const [x, y] = b.#stream.tee();
          b.#stream = x;
          return [null, null, y];
        }
        return [b.#data, b.#hostBytes, null];
      };
      // the body for the engine or fetch: { stream } or { data } without consuming it twice
      takeBody = b => {
        if (b.bodyUsed) throw new TypeError('the body has already been read');
        b.#used = true;
        if (b.#stream !== null) return { stream: b.#stream };
        return { data: b.#hostBytes !== null ? new Uint8Array(b.#hostBytes).slice() : b.#data };
      };
    }
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
        initBody(this, null, init.hostBytes, null);
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
        if (hasBody(input)) inputBody = input;
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
        initBody(this, body.data, null, body.stream);
        if (body.type && !this.#headers.has('content-type')) this.#headers.set('content-type', body.type);
      } else if (inputBody !== null) {
        const taken = takeBody(inputBody); // the input's body moves to the new request
        initBody(this, taken.data === undefined ? null : taken.data, null, taken.stream || null);
      } else {
        initBody(this, null, null, null);
      }
      if (this.#signal === null) this.#signal = new AbortController().signal;
    }
    get method() { return this.#method; }
    get url() { return this.#url; }
    get headers() {
      if (this.#headers === undefined) { this.#headers = headersFromWire(this.#rawHeaders); this.#rawHeaders = null; }
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
      const [data, hostBytes, stream] = cloneBody(this);
      initBody(copy, data, hostBytes, stream);
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

  let fetchedResponse, responseToWire; // set by Response's static block
  class Response extends Body {
    // #headers stays null until read when init gave none: the only header is then #contentType (the
    // body's type, or null), which the wire form sends without building a Headers
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
        initBody(this, null, null, null);
        return;
      }
      if (NULL_BODY_STATUSES.has(this.#status)) {
        throw new TypeError('Response: a response with status ' + this.#status + ' cannot have a body');
      }
      let type;
      if (typeof body === 'string') {
        initBody(this, body, null, null);
        type = TEXT_PLAIN;
      } else {
        const extracted = extractBody(body);
        initBody(this, extracted.data, null, extracted.stream);
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
      immutableHeaders(response.headers);
      return response;
    }
    static error() {
      const response = new Response(null, { status: 200 });
      response.#status = 0;
      response.#type = 'error';
      immutableHeaders(response.headers);
      return response;
    }
    // the prelude's own ways in (closures, so that a val sees no extra members on Response)
    static {
      // a response of fetch: any status, immutable headers, the final URL
      fetchedResponse = (status, statusText, rawHeaders, url, redirected, stream) => {
        const response = new Response(null, {});
        response.#status = status;
        response.#statusText = statusText;
        response.#headers = immutableHeaders(headersFromWire(rawHeaders));
        response.#type = 'basic';
        response.#urls = [url];
        response.#redirected = redirected;
        initBody(response, null, null, stream);
        return response;
      };
      responseToWire = r => r.#wire();
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
      if (this.#type !== 'default') immutableHeaders(copy.headers);
      copy.#type = this.#type;
      copy.#urls = this.#urls.slice();
      copy.#redirected = this.#redirected;
      const [data, hostBytes, stream] = cloneBody(this);
      initBody(copy, data, hostBytes, stream);
      return copy;
    }
    #wire() {
      if (this.bodyUsed) throw new TypeError('The val returned a Response whose body was already read');
      const body = takeBody(this);
      const headers = this.#headers !== null ? headersToWire(this.#headers)
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
      const body = hasBody(request) ? takeBody(request) : { data: null };
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
            resolve(fetchedResponse(a, b, c, d, e, stream));
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
        id = host.web.fetch(request.method, request.url, headersToWire(headers), bytes, request.redirect, events);
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

  // ---------------------------------------------------------------- CompressionStream, DecompressionStream
  // The Compression Streams standard on the JDK's zlib (host.web.zip: see ZipCodec for why not a JS codec).
  const COMPRESSION_FORMATS = ['gzip', 'deflate', 'deflate-raw'];
  function codecStream(what, format) {
    format = String(format);
    if (!COMPRESSION_FORMATS.includes(format)) {
      throw new TypeError(what + ": unsupported format '" + format + "' (use 'gzip', 'deflate' or 'deflate-raw')");
    }
    loadStreams();
    const codec = host.web.zip(format, what === 'CompressionStream');
    const check = (problem) => {
      if (typeof problem === 'string') throw new TypeError(what + ': the ' + format + ' data is not valid: ' + problem);
    };
    // each write is followed by reading all the output it made, a chunk at a time
    const pass = (bytes, last, controller) => {
      check(codec.write(bytes, last));
      for (let out = codec.read(); out !== null; out = codec.read()) {
        check(out);
        controller.enqueue(new Uint8Array(out).slice());
      }
    };
    return new TransformStream({
      transform(chunk, controller) {
        if (!(chunk instanceof ArrayBuffer) && !ArrayBuffer.isView(chunk)) {
          throw new TypeError(what + ': chunks must be an ArrayBuffer or an ArrayBufferView (use TextEncoderStream for text), got ' + describe(chunk));
        }
        const bytes = toBytes(chunk, what);
        pass(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer, false, controller);
      },
      flush(controller) { pass(null, true, controller); },
    });
  }
  class CompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length === 0) throw new TypeError("CompressionStream: the 'format' argument is required");
      this.#transform = codecStream('CompressionStream', format);
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
    get [Symbol.toStringTag]() { return 'CompressionStream'; }
  }
  class DecompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length === 0) throw new TypeError("DecompressionStream: the 'format' argument is required");
      this.#transform = codecStream('DecompressionStream', format);
    }
    get readable() { return this.#transform.readable; }
    get writable() { return this.#transform.writable; }
    get [Symbol.toStringTag]() { return 'DecompressionStream'; }
  }
  define('CompressionStream', CompressionStream);
  define('DecompressionStream', DecompressionStream);

  // ---------------------------------------------------------------- URLPattern (loaded on first use)
  Object.defineProperty(global, 'URLPattern', {
    configurable: true,
    enumerable: false,
    get() {
      define('URLPattern', undefined);
      host.web.bundle('urlpattern'); // defines URLPattern as a plain data property
      return global.URLPattern;
    },
    set(value) { define('URLPattern', value); },
  });

  // ---------------------------------------------------------------- how console shows platform objects
  // Their state is private, so console.log would show `Headers {}`: these views list what Deno lists.
  platformViews.set('Headers', h => { const o = {}; for (const [k, v] of h) o[k] = hasOwn(o, k) ? o[k] + ', ' + v : v; return o; });
  platformViews.set('Request', r => ({ bodyUsed: r.bodyUsed, headers: r.headers, method: r.method, redirect: r.redirect, url: r.url }));
  platformViews.set('Response', r => ({ bodyUsed: r.bodyUsed, headers: r.headers, ok: r.ok, redirected: r.redirected, status: r.status, statusText: r.statusText, url: r.url }));
  platformViews.set('Blob', b => ({ size: b.size, type: b.type }));
  platformViews.set('File', f => ({ name: f.name, size: f.size, type: f.type }));
  platformViews.set('AbortSignal', s => ({ aborted: s.aborted, reason: s.reason, onabort: s.onabort }));
  platformViews.set('AbortController', c => ({ signal: c.signal }));
  platformViews.set('TextEncoder', () => ({ encoding: 'utf-8' }));
  platformViews.set('TextDecoder', d => ({ encoding: d.encoding, fatal: d.fatal, ignoreBOM: d.ignoreBOM }));
  platformViews.set('URL', u => ({ href: u.href, origin: u.origin, protocol: u.protocol, username: u.username, password: u.password,
    host: u.host, hostname: u.hostname, port: u.port, pathname: u.pathname, hash: u.hash, search: u.search }));
  platformViews.set('URLSearchParams', p => Array.from(p));
  for (const tag of ['PerformanceMark', 'PerformanceMeasure']) platformViews.set(tag, e => e.toJSON());
  platformViews.set('Performance', p => ({ timeOrigin: p.timeOrigin }));
  for (const tag of ['Event', 'CustomEvent', 'ErrorEvent']) {
    platformViews.set(tag, e => {
      const o = { bubbles: e.bubbles, cancelable: e.cancelable, composed: e.composed, currentTarget: e.currentTarget,
        defaultPrevented: e.defaultPrevented, eventPhase: e.eventPhase, srcElement: e.srcElement, target: e.target,
        returnValue: e.returnValue, timeStamp: e.timeStamp, type: e.type };
      if (tag === 'CustomEvent') o.detail = e.detail;
      if (tag === 'ErrorEvent') Object.assign(o, { message: e.message, filename: e.filename, lineno: e.lineno, colno: e.colno, error: e.error });
      return o;
    });
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
    return responseToWire(result);
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
    invoke(handler, argsJson, trigger) {
      beginTask(0);
      if (handler === null || handler === undefined) return [null];
      const args = JSON.parse(argsJson);
      if (trigger === 'email') args[0] = emailMessage(args[0]);
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
      groupIndent = ''; // a console.group left open does not indent the next invocation's logs
    },
  };
  return internal;
})
