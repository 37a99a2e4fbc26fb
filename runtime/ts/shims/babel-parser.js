// @babel/parser for the Babel bundle: the one ts.js already loaded into the same context (the same pinned
// version), so the fallback does not parse and warm up a second copy of the largest part of Babel.
const shared = globalThis.valenceBabelParser;
if (!shared) throw new Error("ts.js must be loaded before ts-babel.js");
export const parse = shared.parse;
export const tokTypes = shared.tokTypes;
