// node:crypto for packages: random bytes and ids, hashes and HMACs (computed by the JDK through the
// binding the prelude defines; see NodeHashes), timingSafeEqual, and WebCrypto as webcrypto/subtle.
// Keys as objects (createSecretKey, KeyObject), signing (createSign) and ciphers (createCipheriv) are
// not offered: a package needing them fails where it calls them, with a sentence naming the function.
import { Buffer } from "/node/buffer.mjs";

const hashes = globalThis[Symbol.for("valence.node.hashes")];
const HASHES = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512-224", "sha512-256", "sha3-224", "sha3-256", "sha3-384",
  "sha3-512"];

function bytesOf(data, encoding, what) {
  if (typeof data === "string") return Buffer.from(data, encoding);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new TypeError(`The "${what}" argument must be of type string or an instance of Buffer, TypedArray, or DataView.`
    + ` Received ${data === null ? "null" : typeof data}`);
}

function output(result, encoding) {
  const bytes = Buffer.from(new Uint8Array(result));
  return encoding === undefined || encoding === "buffer" ? bytes : bytes.toString(encoding);
}

// ---------------------------------------------------------------- hashes and HMACs
class Digest {
  #handle;
  #done = false;
  #kind;

  constructor(kind, handle) {
    this.#kind = kind;
    this.#handle = handle;
  }

  update(data, inputEncoding) {
    if (this.#done) throw nodeError("ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    const bytes = bytesOf(data, inputEncoding, "data");
    hashes.update(this.#handle, bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this;
  }

  digest(outputEncoding) {
    if (this.#done) throw nodeError("ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    this.#done = true;
    return output(hashes.digest(this.#handle), outputEncoding);
  }

  /** Hash#copy: a hash with this one's state, to be continued apart. */
  copy() {
    if (this.#kind !== "hash") throw new TypeError("hmac.copy is not a function");
    if (this.#done) throw nodeError("ERR_CRYPTO_HASH_FINALIZED", "Digest already called");
    return new Hash("hash", hashes.copy(this.#handle));
  }
}

export class Hash extends Digest {}
export class Hmac extends Digest {}

function nodeError(code, message, Type = Error) {
  const error = new Type(message);
  error.code = code;
  return error;
}

export function createHash(algorithm, options) {
  const handle = hashes.open(String(algorithm).toLowerCase(), null);
  if (handle === null) throw nodeError("ERR_OSSL_EVP_UNSUPPORTED", "Digest method not supported");
  return new Hash("hash", handle);
}

export function createHmac(algorithm, key, options) {
  const keyBytes = bytesOf(key, options && options.encoding, "key");
  // a copy of exactly the key's bytes (a Buffer's slice would share the whole underlying memory)
  const handle = hashes.open(String(algorithm).toLowerCase(), Uint8Array.prototype.slice.call(keyBytes).buffer);
  if (handle === null) throw nodeError("ERR_CRYPTO_INVALID_DIGEST", `Invalid digest: ${algorithm}`, TypeError);
  return new Hmac("hmac", handle);
}

/** crypto.hash (Node 21.7): a one-shot digest, hex by default. */
export function hash(algorithm, data, outputEncoding = "hex") {
  return createHash(algorithm).update(data).digest(outputEncoding);
}

export function getHashes() {
  return HASHES.slice();
}

export function timingSafeEqual(a, b) {
  if (typeof a === "string" || typeof b === "string") {
    throw new TypeError(`The "${typeof a === "string" ? "buf1" : "buf2"}" argument must be an instance of ArrayBuffer, Buffer, TypedArray,`
      + " or DataView. Received type string");
  }
  const x = bytesOf(a, undefined, "buf1");
  const y = bytesOf(b, undefined, "buf2");
  if (x.byteLength !== y.byteLength) {
    throw nodeError("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length", RangeError);
  }
  let difference = 0;
  for (let i = 0; i < x.byteLength; i++) difference |= x[i] ^ y[i];
  return difference === 0;
}

// ---------------------------------------------------------------- randomness
const MAX_ENTROPY_BYTES = 65536; // what one crypto.getRandomValues call may fill

export function randomFillSync(target, offset = 0, size) {
  const bytes = bytesOf(target, undefined, "buf");
  size = size === undefined ? bytes.byteLength - offset : size;
  if (offset < 0 || size < 0 || offset + size > bytes.byteLength) {
    throw nodeError("ERR_OUT_OF_RANGE", `The value of "offset" or "size" is out of range (buffer of ${bytes.byteLength} bytes).`, RangeError);
  }
  for (let at = offset; at < offset + size; at += MAX_ENTROPY_BYTES) {
    globalThis.crypto.getRandomValues(bytes.subarray(at, Math.min(at + MAX_ENTROPY_BYTES, offset + size)));
  }
  return target;
}

export function randomFill(target, offset, size, callback) {
  if (typeof offset === "function") [callback, offset, size] = [offset, 0, undefined];
  else if (typeof size === "function") [callback, size] = [size, undefined];
  let failure = null;
  try {
    randomFillSync(target, offset, size);
  } catch (error) {
    failure = error;
  }
  queueMicrotask(() => callback(failure, failure === null ? target : undefined));
}

export function randomBytes(size, callback) {
  if (typeof size !== "number" || !(size >= 0 && size <= 2 ** 31 - 1)) {
    throw nodeError("ERR_OUT_OF_RANGE", `The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ${size}`, RangeError);
  }
  const bytes = randomFillSync(Buffer.alloc(size));
  if (typeof callback !== "function") return bytes;
  queueMicrotask(() => callback(null, bytes));
  return undefined;
}
export const pseudoRandomBytes = randomBytes;

export function randomUUID() {
  return globalThis.crypto.randomUUID();
}

/** A uniform integer in [min, max), drawn without modulo bias. */
export function randomInt(min, max, callback) {
  if (max === undefined || typeof max === "function") [callback, max, min] = [max, min, 0];
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min || max - min > 2 ** 48) {
    throw nodeError("ERR_OUT_OF_RANGE", `The range [${min}, ${max}) must hold 1 to 2^48 integers.`, RangeError);
  }
  const range = max - min;
  const limit = 2 ** 48 - (2 ** 48 % range);
  let value;
  do {
    value = randomBytes(6).readUIntBE(0, 6);
  } while (value >= limit);
  const result = min + (value % range);
  if (typeof callback !== "function") return result;
  queueMicrotask(() => callback(null, result));
  return undefined;
}

export function getRandomValues(array) {
  return globalThis.crypto.getRandomValues(array);
}

// ---------------------------------------------------------------- what vals do not offer
function unavailable(name) {
  return function () {
    throw nodeError("ERR_FEATURE_UNAVAILABLE_ON_PLATFORM", `crypto.${name} is not available to vals; use crypto.subtle (WebCrypto)`
      + " for keys, signatures and ciphers.");
  };
}
export const createSign = unavailable("createSign");
export const createVerify = unavailable("createVerify");
export const createCipheriv = unavailable("createCipheriv");
export const createDecipheriv = unavailable("createDecipheriv");
export const pbkdf2Sync = unavailable("pbkdf2Sync");
export const scryptSync = unavailable("scryptSync");

export const webcrypto = globalThis.crypto;
export const subtle = globalThis.crypto.subtle;
export const constants = Object.freeze({});

export default { createHash, createHmac, hash, getHashes, timingSafeEqual, randomBytes, pseudoRandomBytes, randomFill, randomFillSync,
  randomUUID, randomInt, getRandomValues, createSign, createVerify, createCipheriv, createDecipheriv, pbkdf2Sync, scryptSync, webcrypto,
  subtle, constants, Hash, Hmac };
