// node:buffer for packages: Buffer from feross's `buffer` (the userland copy of Node's), plus the few names Node
// added later, taken from the web platform the val already has.
import lib from "buffer";

export const { Buffer, SlowBuffer, kMaxLength } = lib;
export const INSPECT_MAX_BYTES = lib.INSPECT_MAX_BYTES;
export const kStringMaxLength = 2 ** 29 - 24;
export const constants = Object.freeze({ MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength });

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
