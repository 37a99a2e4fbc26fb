// Entry point of the Valence web bundle (see build.mjs and README.md).
//
// Installs the WHATWG Streams classes from web-streams-polyfill (a ponyfill of the spec's reference
// implementation) on the global object, the way browsers expose them: writable, configurable and
// non-enumerable. The prelude builds Request/Response bodies, fetch and TextDecoderStream on them.
import * as streams from "web-streams-polyfill";

const NAMES = [
  "ByteLengthQueuingStrategy",
  "CountQueuingStrategy",
  "ReadableByteStreamController",
  "ReadableStream",
  "ReadableStreamBYOBReader",
  "ReadableStreamBYOBRequest",
  "ReadableStreamDefaultController",
  "ReadableStreamDefaultReader",
  "TransformStream",
  "TransformStreamDefaultController",
  "WritableStream",
  "WritableStreamDefaultController",
  "WritableStreamDefaultWriter"
];
for (const name of NAMES) {
  Object.defineProperty(globalThis, name, {
    value: streams[name],
    writable: true,
    enumerable: false,
    configurable: true
  });
}
