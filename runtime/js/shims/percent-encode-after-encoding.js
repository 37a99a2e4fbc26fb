"use strict";
// Private, UTF-8-only replacement for `@exodus/bytes/whatwg.js`.
//
// whatwg-url's URL parser imports `percentEncodeAfterEncoding` from
// @exodus/bytes (plus `@exodus/bytes/encoding.js` for legacy multi-byte
// encodings). Those modules probe for TextEncoder/TextDecoder/Buffer and pull
// in ~150 KB of legacy-encoding tables. The URL and URLSearchParams APIs only
// ever parse with the UTF-8 encoding (a non-UTF-8 query encoding exists only
// for HTML documents, via whatwg-url's internal basicURLParse option), so this
// bundle supports UTF-8 and rejects anything else with a RangeError.
const { utf8Encode } = require("./utf8.js");

// https://encoding.spec.whatwg.org/#names-and-labels (UTF-8 labels)
const utf8Labels = new Set([
  "unicode-1-1-utf-8",
  "unicode11utf8",
  "unicode20utf8",
  "utf-8",
  "utf8",
  "x-unicode20utf8"
]);

const encoderCache = new Map();

function encoderFor(percentEncodeSet, spaceAsPlus) {
  const key = `${percentEncodeSet}${spaceAsPlus ? "+" : "-"}`;
  let map = encoderCache.get(key);
  if (map === undefined) {
    map = new Array(256);
    for (let b = 0; b < 256; b++) {
      const ch = String.fromCharCode(b);
      map[b] = b < 0x20 || b > 0x7E || percentEncodeSet.includes(ch) ?
        `%${b < 16 ? "0" : ""}${b.toString(16).toUpperCase()}` :
        ch;
    }
    if (spaceAsPlus) {
      map[0x20] = "+";
    }
    encoderCache.set(key, map);
  }
  return map;
}

// https://url.spec.whatwg.org/#string-percent-encode-after-encoding
// `percentEncodeSet` is the string of extra ASCII code points (0x20-0x7E) to
// encode on top of the C0 control percent-encode set.
function percentEncodeAfterEncoding(encoding, input, percentEncodeSet, spaceAsPlus = false) {
  const label = `${encoding}`.trim().toLowerCase();
  if (!utf8Labels.has(label)) {
    throw new RangeError(`Unsupported encoding "${encoding}": this URL bundle only implements UTF-8`);
  }
  if (typeof input !== "string") {
    throw new TypeError("input must be a string");
  }
  const map = encoderFor(percentEncodeSet, spaceAsPlus);
  const bytes = utf8Encode(input);
  let output = "";
  for (let i = 0; i < bytes.length; i++) {
    output += map[bytes[i]];
  }
  return output;
}

module.exports = {
  percentEncodeAfterEncoding
};
