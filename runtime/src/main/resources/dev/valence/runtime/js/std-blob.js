// std/blob: the val owner's key-value store, with Val Town's API. Keys are strings of 1 to 512
// characters; values are bytes (Uint8Array, ArrayBuffer, any ArrayBufferView), strings or JSON.
// Imported as "std/blob" or "https://esm.town/v/std/blob".
const binding = globalThis[Symbol.for('valence.blob')];

function checkKey(key) {
  if (typeof key !== 'string') throw new TypeError('A blob key is a string, got ' + typeof key + '.');
  if (key.length === 0 || key.length > 512) {
    throw new RangeError('A blob key has 1 to 512 characters, got ' + key.length + '.');
  }
  return key;
}

function failIf(result) {
  if (typeof result === 'string') throw new Error(result);
  return result;
}

/** The stored bytes of `value` as an ArrayBuffer (a copy), or a string, with its content type. */
function encode(value) {
  if (typeof value === 'string') return [value, 'text/plain;charset=utf-8'];
  if (value instanceof ArrayBuffer) return [value.slice(0), 'application/octet-stream'];
  if (ArrayBuffer.isView(value)) {
    return [value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength), 'application/octet-stream'];
  }
  throw new TypeError('blob.set stores a string, an ArrayBuffer or a typed array; use blob.setJSON for other values.');
}

export class ValTownBlobNotFoundError extends Error {
  constructor(key) {
    super('No blob with the key ' + JSON.stringify(key) + '.');
    this.name = 'ValTownBlobNotFoundError';
  }
}

function read(key) {
  const found = failIf(binding.get(checkKey(key)));
  if (found === null) return null;
  return { type: found[0], bytes: new Uint8Array(found[1]).slice() };
}

export const blob = Object.freeze({
  /** The value as a Response (status 200, the content type it was stored with); throws when missing. */
  async get(key) {
    const found = read(key);
    if (found === null) throw new ValTownBlobNotFoundError(key);
    return new Response(found.bytes, { headers: { 'content-type': found.type } });
  },
  /** Stores a string, an ArrayBuffer or a typed array under `key`, replacing what was there. */
  async set(key, value) {
    const [data, type] = encode(value);
    failIf(binding.set(checkKey(key), data, type));
  },
  /** The parsed JSON stored under `key`, or undefined when there is none. */
  async getJSON(key) {
    const found = read(key);
    if (found === null) return undefined;
    return JSON.parse(new TextDecoder().decode(found.bytes));
  },
  async setJSON(key, value) {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('blob.setJSON needs a value JSON can represent, got ' + typeof value + '.');
    failIf(binding.set(checkKey(key), text, 'application/json'));
  },
  /** Deletes `key`; deleting a missing key is not an error. */
  async delete(key) {
    failIf(binding.delete(checkKey(key)));
  },
  /** The keys that start with `prefix` (all when omitted), sorted: [{ key, size, lastModified }]. */
  async list(prefix = '') {
    if (typeof prefix !== 'string') throw new TypeError('blob.list takes a string prefix, got ' + typeof prefix + '.');
    const listed = binding.list(prefix);
    if (!listed.startsWith('[')) throw new Error(listed);
    return JSON.parse(listed);
  },
});

export default blob;
