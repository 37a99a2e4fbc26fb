// node:buffer for packages: Buffer as Node defines it, a Uint8Array whose prototype adds encodings
// (utf8, hex, base64, base64url, latin1/binary, ascii, utf16le) and the integer and float accessors
// libraries call. As in Node, Buffer is a function (Buffer(x) and new Buffer(x) both work, deprecated)
// whose instances are made by a Uint8Array subclass, so slice and subarray share memory and
// `instanceof Buffer` holds for every one of them.
const ENCODINGS = new Map([["utf8", "utf8"], ["utf-8", "utf8"], ["hex", "hex"], ["base64", "base64"], ["base64url", "base64url"],
  ["latin1", "latin1"], ["binary", "latin1"], ["ascii", "ascii"], ["utf16le", "utf16le"], ["utf-16le", "utf16le"],
  ["ucs2", "utf16le"], ["ucs-2", "utf16le"]]);
export const kMaxLength = 2 ** 32 - 1;
export const kStringMaxLength = 2 ** 29 - 24;
export const constants = Object.freeze({ MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength });
export let INSPECT_MAX_BYTES = 50;

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in the text, as Node's toString does
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

function normalizeEncoding(encoding) {
  if (encoding === undefined || encoding === null || encoding === "") return "utf8";
  const found = ENCODINGS.get(String(encoding).toLowerCase());
  if (found === undefined) {
    const error = new TypeError(`Unknown encoding: ${encoding}`);
    error.code = "ERR_UNKNOWN_ENCODING";
    throw error;
  }
  return found;
}

class FastBuffer extends Uint8Array {}

export function Buffer(value, encodingOrOffset, length) {
  if (typeof value === "number") {
    if (typeof encodingOrOffset === "string") {
      throw new TypeError('The "string" argument must be of type string. Received type number');
    }
    return Buffer.alloc(value);
  }
  return Buffer.from(value, encodingOrOffset, length);
}
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, "constructor", { value: Buffer, writable: true, configurable: true });
Object.setPrototypeOf(Buffer, Uint8Array);
// subarray, slice and map make FastBuffers directly, not through Buffer's argument sniffing
Object.defineProperty(Buffer, Symbol.species, { get: () => FastBuffer, configurable: true });
Buffer.poolSize = 8192;

// ---------------------------------------------------------------- making buffers
Buffer.from = function from(value, encodingOrOffset, length) {
  if (typeof value === "string") return fromString(value, encodingOrOffset);
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
    const offset = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset) || 0;
    if (offset > value.byteLength) throw new RangeError('"offset" is outside of buffer bounds');
    const size = length === undefined ? value.byteLength - offset : Number(length) || 0;
    if (offset + size > value.byteLength) throw new RangeError('"length" is outside of buffer bounds');
    return new FastBuffer(value, offset, size);
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = new FastBuffer(value.byteLength);
    bytes.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return bytes;
  }
  if (value !== null && typeof value === "object") {
    const primitive = typeof value[Symbol.toPrimitive] === "function" ? value[Symbol.toPrimitive]("string")
      : typeof value.valueOf === "function" ? value.valueOf() : value;
    if (primitive !== value && primitive !== null && primitive !== undefined) return Buffer.from(primitive, encodingOrOffset, length);
    if (value.type === "Buffer" && Array.isArray(value.data)) return fromArray(value.data);
    if (typeof value.length === "number") return fromArray(value);
  }
  throw new TypeError("The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like"
    + ` Object. Received ${value === null ? "null" : typeof value}`);
};

function fromArray(items) {
  const bytes = new FastBuffer(Math.max(0, items.length | 0));
  for (let i = 0; i < bytes.length; i++) bytes[i] = items[i] & 255;
  return bytes;
}

function checkSize(size) {
  if (typeof size !== "number") throw new TypeError(`The "size" argument must be of type number. Received type ${typeof size}`);
  if (!(size >= 0 && size <= kMaxLength)) throw new RangeError(`The value of "size" is out of range. Received ${size}`);
}

Buffer.alloc = function alloc(size, fill, encoding) {
  checkSize(size);
  const bytes = new FastBuffer(size);
  if (fill !== undefined && fill !== 0 && size > 0) bytes.fill(fill, encoding);
  return bytes;
};
// Node hands out uninitialised memory here; a val gets zeroed memory, which is what that memory may hold anyway
Buffer.allocUnsafe = function allocUnsafe(size) {
  checkSize(size);
  return new FastBuffer(size);
};
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;

Buffer.isBuffer = function isBuffer(value) {
  return value instanceof Buffer;
};

Buffer.isEncoding = function isEncoding(encoding) {
  return typeof encoding === "string" && encoding !== "" && ENCODINGS.has(encoding.toLowerCase());
};

Buffer.byteLength = function byteLength(value, encoding) {
  if (typeof value !== "string") {
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
    throw new TypeError('The "string" argument must be of type string or an instance of Buffer or ArrayBuffer.');
  }
  switch (normalizeEncoding(encoding)) {
    case "utf8": return utf8Length(value);
    case "hex": return value.length >>> 1;
    case "base64": case "base64url": return base64Length(value);
    case "utf16le": return value.length * 2;
    default: return value.length;
  }
};

Buffer.compare = function compare(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) {
    throw new TypeError('The "buf1" and "buf2" arguments must be one of type Buffer or Uint8Array.');
  }
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
};

Buffer.concat = function concat(list, totalLength) {
  if (!Array.isArray(list)) throw new TypeError('The "list" argument must be an instance of Array.');
  if (totalLength === undefined) {
    totalLength = 0;
    for (const item of list) {
      if (!(item instanceof Uint8Array)) throw new TypeError('The "list" argument must contain only Buffer or Uint8Array instances.');
      totalLength += item.length;
    }
  }
  const out = new FastBuffer(totalLength);
  let at = 0;
  for (const item of list) {
    if (at >= totalLength) break;
    const part = item.length > totalLength - at ? item.subarray(0, totalLength - at) : item;
    out.set(part, at);
    at += part.length;
  }
  return out;
};

function fromString(text, encoding) {
  switch (normalizeEncoding(encoding)) {
    case "utf8": {
      const encoded = utf8Encoder.encode(text);
      return new FastBuffer(encoded.buffer, encoded.byteOffset, encoded.byteLength);
    }
    case "hex": return hexBytes(text);
    case "base64": case "base64url": return base64Bytes(text);
    case "utf16le": {
      const bytes = new FastBuffer(text.length * 2);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        bytes[2 * i] = c & 255;
        bytes[2 * i + 1] = c >>> 8;
      }
      return bytes;
    }
    default: {
      const bytes = new FastBuffer(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 255;
      return bytes;
    }
  }
}

function utf8Length(text) {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  return length;
}

// ---------------------------------------------------------------- encodings
const HEX_PAIR = /^[0-9a-fA-F]{2}$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hexBytes(text) {
  const bytes = new FastBuffer(text.length >>> 1);
  let i = 0;
  for (; i < bytes.length; i++) {
    const pair = text.substr(2 * i, 2);
    if (!HEX_PAIR.test(pair)) break; // Node stops at the first pair that is not hex
    bytes[i] = parseInt(pair, 16);
  }
  return i === bytes.length ? bytes : bytes.subarray(0, i);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// both alphabets decode, whatever the encoding asked for, as in Node
const B64_VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_VALUES[B64.charCodeAt(i)] = i;
  B64_VALUES[B64URL.charCodeAt(i)] = i;
}

function base64Length(text) {
  let length = text.length;
  while (length > 0 && text.charCodeAt(length - 1) === 0x3d) length--;
  return (length * 3) >>> 2;
}

/** Node's lenient decoding: characters outside both alphabets are skipped, and the first "=" ends the data. */
function base64Bytes(text) {
  const bytes = new FastBuffer(base64Length(text));
  let bits = 0, count = 0, at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) break;
    const value = c < 128 ? B64_VALUES[c] : -1;
    if (value < 0) continue;
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[at++] = (bits >>> count) & 255;
    }
  }
  return at === bytes.length ? bytes : bytes.subarray(0, at);
}

function base64Text(bytes, alphabet, pad) {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[n >>> 18] + alphabet[(n >>> 12) & 63] + alphabet[(n >>> 6) & 63] + alphabet[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
    out += alphabet[n >>> 18] + alphabet[(n >>> 12) & 63];
    out += i + 1 < bytes.length ? alphabet[(n >>> 6) & 63] : pad ? "=" : "";
    if (pad) out += "=";
  }
  return out;
}

function latin1Text(bytes, mask) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, Math.min(i + 8192, bytes.length));
    out += String.fromCharCode.apply(null, mask === 255 ? chunk : Array.from(chunk, (b) => b & mask));
  }
  return out;
}

function textOf(bytes, encoding) {
  switch (normalizeEncoding(encoding)) {
    case "utf8": return utf8Decoder.decode(bytes);
    case "hex": {
      let out = "";
      for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
      return out;
    }
    case "base64": return base64Text(bytes, B64, true);
    case "base64url": return base64Text(bytes, B64URL, false);
    case "latin1": return latin1Text(bytes, 255);
    case "ascii": return latin1Text(bytes, 127);
    case "utf16le": {
      let out = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
      return out;
    }
  }
}

// ---------------------------------------------------------------- instance methods
const proto = FastBuffer.prototype;

function clamp(value, length, fallback) {
  if (value === undefined) return fallback;
  value = Math.trunc(Number(value)) || 0;
  return value < 0 ? 0 : value > length ? length : value;
}

proto.toString = function toString(encoding, start, end) {
  if (arguments.length === 0) return utf8Decoder.decode(this);
  start = clamp(start, this.length, 0);
  end = clamp(end, this.length, this.length);
  return textOf(end <= start ? new Uint8Array(0) : this.subarray(start, end), encoding);
};
proto.toLocaleString = proto.toString;
proto.toJSON = function toJSON() {
  return { type: "Buffer", data: Array.from(this) };
};
proto.equals = function equals(other) {
  if (!(other instanceof Uint8Array)) throw new TypeError('The "otherBuffer" argument must be an instance of Buffer or Uint8Array.');
  return Buffer.compare(this, other) === 0;
};
proto.compare = function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
  const a = this.subarray(clamp(sourceStart, this.length, 0), clamp(sourceEnd, this.length, this.length));
  const b = target.subarray(clamp(targetStart, target.length, 0), clamp(targetEnd, target.length, target.length));
  return Buffer.compare(a, b);
};
// a view on the same memory, as in Node (Uint8Array's slice copies)
proto.slice = function slice(start, end) {
  return this.subarray(start, end);
};
proto.copy = function copy(target, targetStart, sourceStart, sourceEnd) {
  targetStart = clamp(targetStart, target.length, 0);
  sourceStart = clamp(sourceStart, this.length, 0);
  sourceEnd = clamp(sourceEnd, this.length, this.length);
  const count = Math.max(0, Math.min(sourceEnd - sourceStart, target.length - targetStart));
  new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(this.subarray(sourceStart, sourceStart + count), targetStart);
  return count;
};
proto.write = function write(text, offset, length, encoding) {
  if (typeof offset === "string") [offset, length, encoding] = [0, undefined, offset];
  else if (typeof length === "string") [length, encoding] = [undefined, length];
  offset = clamp(offset, this.length, 0);
  const bytes = fromString(String(text), encoding);
  let count = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : Math.max(0, length | 0));
  if (normalizeEncoding(encoding) === "utf8") {
    while (count > 0 && count < bytes.length && (bytes[count] & 0xc0) === 0x80) count--; // no character is written in part
  }
  this.set(bytes.subarray(0, count), offset);
  return count;
};
proto.fill = function fill(value, offset, end, encoding) {
  if (typeof offset === "string") [offset, end, encoding] = [0, this.length, offset];
  else if (typeof end === "string") [end, encoding] = [this.length, end];
  offset = clamp(offset, this.length, 0);
  end = clamp(end, this.length, this.length);
  if (typeof value === "number" || typeof value === "boolean") {
    Uint8Array.prototype.fill.call(this, Number(value) & 255, offset, end);
    return this;
  }
  const pattern = typeof value === "string" ? fromString(value, encoding) : value;
  if (pattern.length === 0) {
    if (typeof value === "string" && value.length > 0) throw new TypeError(`The argument 'value' is invalid. Received '${value}'`);
    Uint8Array.prototype.fill.call(this, 0, offset, end);
    return this;
  }
  for (let i = offset; i < end; i++) this[i] = pattern[(i - offset) % pattern.length];
  return this;
};

function needle(value, encoding) {
  if (typeof value === "number") return Uint8Array.of(value & 255);
  if (typeof value === "string") return fromString(value, encoding);
  if (value instanceof Uint8Array) return value;
  throw new TypeError('The "value" argument must be one of type number or string or an instance of Buffer or Uint8Array.');
}

proto.indexOf = function indexOf(value, byteOffset, encoding) {
  if (typeof byteOffset === "string") [byteOffset, encoding] = [0, byteOffset];
  let from = byteOffset === undefined ? 0 : Math.trunc(Number(byteOffset)) || 0;
  if (from < 0) from = Math.max(0, this.length + from);
  const wanted = needle(value, encoding);
  if (wanted.length === 0) return Math.min(from, this.length);
  outer: for (let i = from; i + wanted.length <= this.length; i++) {
    for (let j = 0; j < wanted.length; j++) if (this[i + j] !== wanted[j]) continue outer;
    return i;
  }
  return -1;
};
proto.lastIndexOf = function lastIndexOf(value, byteOffset, encoding) {
  if (typeof byteOffset === "string") [byteOffset, encoding] = [undefined, byteOffset];
  const wanted = needle(value, encoding);
  let from = byteOffset === undefined ? this.length - wanted.length : Math.trunc(Number(byteOffset)) || 0;
  if (from < 0) from = this.length + from;
  outer: for (let i = Math.min(from, this.length - wanted.length); i >= 0; i--) {
    for (let j = 0; j < wanted.length; j++) if (this[i + j] !== wanted[j]) continue outer;
    return i;
  }
  return -1;
};
proto.includes = function includes(value, byteOffset, encoding) {
  return this.indexOf(value, byteOffset, encoding) !== -1;
};

function swap(bytes, size) {
  if (bytes.length % size !== 0) throw new RangeError(`Buffer size must be a multiple of ${size * 8}-bits`);
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) [bytes[a], bytes[b]] = [bytes[b], bytes[a]];
  }
  return bytes;
}
proto.swap16 = function swap16() { return swap(this, 2); };
proto.swap32 = function swap32() { return swap(this, 4); };
proto.swap64 = function swap64() { return swap(this, 8); };

// ---------------------------------------------------------------- numbers
function view(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkOffset(bytes, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== "number" || !Number.isInteger(offset)) {
    throw new TypeError(`The "offset" argument must be of type number. Received ${typeof offset}`);
  }
  if (offset < 0 || offset + size > bytes.length) {
    const error = new RangeError(`The value of "offset" is out of range. It must be >= 0 and <= ${bytes.length - size}. Received ${offset}`);
    error.code = "ERR_OUT_OF_RANGE";
    throw error;
  }
  return offset;
}

function checkValue(value, min, max) {
  if (typeof value === "bigint" ? value < min || value > max : !(value >= Number(min) && value <= Number(max))) {
    const error = new RangeError(`The value of "value" is out of range. It must be >= ${min} and <= ${max}. Received ${value}`);
    error.code = "ERR_OUT_OF_RANGE";
    throw error;
  }
}

// name, size in bytes, DataView type, little endian, smallest and largest value
const ACCESSORS = [
  ["UInt8", 1, "Uint8", false, 0, 255], ["Int8", 1, "Int8", false, -128, 127],
  ["UInt16LE", 2, "Uint16", true, 0, 65535], ["UInt16BE", 2, "Uint16", false, 0, 65535],
  ["Int16LE", 2, "Int16", true, -32768, 32767], ["Int16BE", 2, "Int16", false, -32768, 32767],
  ["UInt32LE", 4, "Uint32", true, 0, 4294967295], ["UInt32BE", 4, "Uint32", false, 0, 4294967295],
  ["Int32LE", 4, "Int32", true, -2147483648, 2147483647], ["Int32BE", 4, "Int32", false, -2147483648, 2147483647],
  ["FloatLE", 4, "Float32", true, -Infinity, Infinity], ["FloatBE", 4, "Float32", false, -Infinity, Infinity],
  ["DoubleLE", 8, "Float64", true, -Infinity, Infinity], ["DoubleBE", 8, "Float64", false, -Infinity, Infinity],
  ["BigUInt64LE", 8, "BigUint64", true, 0n, 2n ** 64n - 1n], ["BigUInt64BE", 8, "BigUint64", false, 0n, 2n ** 64n - 1n],
  ["BigInt64LE", 8, "BigInt64", true, -(2n ** 63n), 2n ** 63n - 1n], ["BigInt64BE", 8, "BigInt64", false, -(2n ** 63n), 2n ** 63n - 1n],
];
for (const [name, size, type, little, min, max] of ACCESSORS) {
  const read = function (offset) {
    return view(this)["get" + type](checkOffset(this, offset, size), little);
  };
  const write = function (value, offset) {
    offset = checkOffset(this, offset, size);
    if (type.startsWith("Big")) {
      if (typeof value !== "bigint") throw new TypeError(`The "value" argument must be of type bigint. Received type ${typeof value}`);
    } else {
      value = +value;
    }
    if (!type.startsWith("Float")) checkValue(value, min, max);
    view(this)["set" + type](offset, value, little);
    return offset + size;
  };
  proto["read" + name] = read;
  proto["write" + name] = write;
  if (name.includes("UInt")) { // Node's lower-case aliases (readUint8 and so on)
    proto["read" + name.replace("UInt", "Uint")] = read;
    proto["write" + name.replace("UInt", "Uint")] = write;
  }
}

function checkByteLength(byteLength) {
  if (!Number.isInteger(byteLength) || byteLength < 1 || byteLength > 6) {
    throw new RangeError(`The value of "byteLength" is out of range. It must be >= 1 and <= 6. Received ${byteLength}`);
  }
}
// variable-width integers up to 6 bytes (48 bits, exact in a double)
proto.readUIntBE = function readUIntBE(offset, byteLength) {
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  let value = 0;
  for (let i = 0; i < byteLength; i++) value = value * 256 + this[offset + i];
  return value;
};
proto.readUIntLE = function readUIntLE(offset, byteLength) {
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  let value = 0;
  for (let i = byteLength - 1; i >= 0; i--) value = value * 256 + this[offset + i];
  return value;
};
proto.readIntBE = function readIntBE(offset, byteLength) {
  const value = this.readUIntBE(offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return value >= limit ? value - 2 * limit : value;
};
proto.readIntLE = function readIntLE(offset, byteLength) {
  const value = this.readUIntLE(offset, byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  return value >= limit ? value - 2 * limit : value;
};
proto.writeUIntBE = function writeUIntBE(value, offset, byteLength) {
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  checkValue(value, 0, 2 ** (8 * byteLength) - 1);
  for (let i = byteLength - 1; i >= 0; i--, value = Math.floor(value / 256)) this[offset + i] = value & 255;
  return offset + byteLength;
};
proto.writeUIntLE = function writeUIntLE(value, offset, byteLength) {
  checkByteLength(byteLength);
  offset = checkOffset(this, offset, byteLength);
  checkValue(value, 0, 2 ** (8 * byteLength) - 1);
  for (let i = 0; i < byteLength; i++, value = Math.floor(value / 256)) this[offset + i] = value & 255;
  return offset + byteLength;
};
proto.writeIntBE = function writeIntBE(value, offset, byteLength) {
  checkByteLength(byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  checkValue(value, -limit, limit - 1);
  return this.writeUIntBE(value < 0 ? value + 2 * limit : value, offset, byteLength);
};
proto.writeIntLE = function writeIntLE(value, offset, byteLength) {
  checkByteLength(byteLength);
  const limit = 2 ** (8 * byteLength - 1);
  checkValue(value, -limit, limit - 1);
  return this.writeUIntLE(value < 0 ? value + 2 * limit : value, offset, byteLength);
};
for (const name of ["readUIntBE", "readUIntLE", "writeUIntBE", "writeUIntLE"]) proto[name.replace("UInt", "Uint")] = proto[name];

Object.defineProperty(proto, "parent", { get() { return this.buffer; }, configurable: true });
Object.defineProperty(proto, "offset", { get() { return this.byteOffset; }, configurable: true });
proto[Symbol.for("nodejs.util.inspect.custom")] = function inspect() {
  const shown = Array.from(this.subarray(0, INSPECT_MAX_BYTES), (b) => HEX[b]).join(" ");
  return `<Buffer${shown ? " " + shown : ""}${this.length > INSPECT_MAX_BYTES ? ` ... ${this.length - INSPECT_MAX_BYTES} more bytes` : ""}>`;
};

/** Node's deprecated SlowBuffer: old libraries still read its prototype when they load. */
export function SlowBuffer(size) {
  return Buffer.allocUnsafeSlow(size);
}
SlowBuffer.prototype = FastBuffer.prototype;

export function isUtf8(input) {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(input);
    return true;
  } catch {
    return false;
  }
}

export function isAscii(input) {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return bytes.every((b) => b < 128);
}

const BlobClass = globalThis.Blob;
const atobFunction = globalThis.atob;
const btoaFunction = globalThis.btoa;
export { BlobClass as Blob, atobFunction as atob, btoaFunction as btoa };

export default { Buffer, SlowBuffer, kMaxLength, kStringMaxLength, constants, INSPECT_MAX_BYTES, isUtf8, isAscii, Blob: BlobClass,
  atob: atobFunction, btoa: btoaFunction };
