// node:string_decoder for packages: bytes arriving in chunks turned into text without splitting a
// character between two chunks (a UTF-8 sequence, a UTF-16 surrogate pair, a base64 group of three).
import { Buffer } from "/node/buffer.mjs";

function bytesOf(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('The "buf" argument must be an instance of Buffer, TypedArray, or DataView.'
    + ` Received ${chunk === null ? "null" : typeof chunk}`);
}

function join(pending, bytes) {
  if (pending.length === 0) return bytes;
  const joined = new Uint8Array(pending.length + bytes.length);
  joined.set(pending);
  joined.set(bytes, pending.length);
  return joined;
}

export function StringDecoder(encoding) {
  if (!(this instanceof StringDecoder)) return new StringDecoder(encoding);
  const normalized = String(encoding ?? "utf8").toLowerCase();
  if (!Buffer.isEncoding(normalized)) {
    const error = new TypeError(`Unknown encoding: ${encoding}`);
    error.code = "ERR_UNKNOWN_ENCODING";
    throw error;
  }
  this.encoding = { "utf-8": "utf8", binary: "latin1", ucs2: "utf16le", "ucs-2": "utf16le", "utf-16le": "utf16le" }[normalized] ?? normalized;
  // ignoreBOM keeps a leading U+FEFF, as Node's decoder does
  this.decoder = this.encoding === "utf8" ? new TextDecoder("utf-8", { ignoreBOM: true }) : null;
  this.pending = new Uint8Array(0);
}

/** How many bytes at the end of {@code bytes} must wait for the next chunk. */
function held(encoding, bytes) {
  if (encoding === "utf16le") {
    let keep = bytes.length % 2;
    const last = bytes.length - keep - 2;
    if (last >= 0 && (bytes[last + 1] & 0xfc) === 0xd8) keep += 2; // a high surrogate waits for its low half
    return keep;
  }
  if (encoding === "base64" || encoding === "base64url") return bytes.length % 3;
  return 0;
}

StringDecoder.prototype.write = function write(chunk) {
  if (typeof chunk === "string") return chunk;
  const bytes = bytesOf(chunk);
  if (this.decoder !== null) return this.decoder.decode(bytes, { stream: true });
  const all = join(this.pending, bytes);
  const keep = held(this.encoding, all);
  this.pending = all.slice(all.length - keep);
  return Buffer.from(all.buffer, all.byteOffset, all.length - keep).toString(this.encoding);
};

StringDecoder.prototype.end = function end(chunk) {
  let text = chunk === undefined ? "" : this.write(chunk);
  if (this.decoder !== null) return text + this.decoder.decode(); // an unfinished character ends as U+FFFD, as in Node
  if (this.pending.length > 0) {
    const rest = this.encoding === "utf16le" ? this.pending.subarray(0, this.pending.length - (this.pending.length % 2)) : this.pending;
    text += Buffer.from(rest.buffer, rest.byteOffset, rest.length).toString(this.encoding);
    this.pending = new Uint8Array(0);
  }
  return text;
};

export default { StringDecoder };
