// Entry point of the Valence URL bundle (see build.mjs and README.md).
//
// Installs the WHATWG URL and URLSearchParams classes from the whatwg-url
// package on the global object, the way browsers expose them: writable,
// configurable and non-enumerable. Nothing else is added to globalThis.
import { URL, URLSearchParams } from "whatwg-url";

Object.defineProperty(globalThis, "URL", {
  value: URL,
  writable: true,
  enumerable: false,
  configurable: true
});
Object.defineProperty(globalThis, "URLSearchParams", {
  value: URLSearchParams,
  writable: true,
  enumerable: false,
  configurable: true
});
