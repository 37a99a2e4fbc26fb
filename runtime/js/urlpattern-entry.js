// Entry point of the Valence URLPattern bundle (see build.mjs and README.md).
//
// Installs URLPattern from urlpattern-polyfill (which follows the URL Pattern Standard and runs its
// web-platform-tests) on the global object the way browsers expose it: writable, configurable and
// non-enumerable. The prelude evaluates this bundle the first time a val reads URLPattern.
import { URLPattern } from "urlpattern-polyfill/urlpattern";

Object.defineProperty(globalThis, "URLPattern", {
  value: URLPattern,
  writable: true,
  enumerable: false,
  configurable: true
});
