"use strict";
// Private UTF-8 encoder/decoder for the Valence URL bundle.
//
// Replaces node_modules/whatwg-url/lib/encoding.js, which creates a global
// TextEncoder/TextDecoder at load time. GraalJS (like any bare ECMAScript
// engine) has neither, so the bundle carries this instead. Behaviour matches
// the WHATWG Encoding Standard's UTF-8 encode and "UTF-8 decode without BOM"
// (lone surrogates encode as U+FFFD; invalid byte sequences decode to U+FFFD
// using the standard's maximal-subpart rule; a leading BOM is kept).

// https://encoding.spec.whatwg.org/#utf-8-encode
function utf8Encode(string) {
  const str = `${string}`;
  const n = str.length;
  const out = new Uint8Array(n * 3); // a UTF-16 code unit never needs more than 3 bytes
  let j = 0;
  for (let i = 0; i < n; i++) {
    let c = str.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
      continue;
    }
    if (c < 0x800) {
      out[j++] = 0xC0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3F);
      continue;
    }
    if (c >= 0xD800 && c <= 0xDFFF) {
      if (c <= 0xDBFF && i + 1 < n) {
        const d = str.charCodeAt(i + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) {
          i++;
          const cp = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
          out[j++] = 0xF0 | (cp >> 18);
          out[j++] = 0x80 | ((cp >> 12) & 0x3F);
          out[j++] = 0x80 | ((cp >> 6) & 0x3F);
          out[j++] = 0x80 | (cp & 0x3F);
          continue;
        }
      }
      c = 0xFFFD; // lone surrogate
    }
    out[j++] = 0xE0 | (c >> 12);
    out[j++] = 0x80 | ((c >> 6) & 0x3F);
    out[j++] = 0x80 | (c & 0x3F);
  }
  return j === out.length ? out : out.slice(0, j);
}

function flush(units, parts) {
  parts.push(String.fromCharCode.apply(null, units));
  units.length = 0;
}

// https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
// (the UTF-8 decoder of https://encoding.spec.whatwg.org/#utf-8-decoder, replacement mode)
function utf8DecodeWithoutBOM(bytes) {
  const len = bytes.length;
  const parts = [];
  const units = [];
  let needed = 0;
  let seen = 0;
  let cp = 0;
  let lower = 0x80;
  let upper = 0xBF;
  for (let i = 0; i < len; i++) {
    const b = bytes[i];
    if (needed === 0) {
      if (b <= 0x7F) {
        units.push(b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b === 0xE0) {
          lower = 0xA0;
        } else if (b === 0xED) {
          upper = 0x9F;
        }
        needed = 2;
        cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b === 0xF0) {
          lower = 0x90;
        } else if (b === 0xF4) {
          upper = 0x8F;
        }
        needed = 3;
        cp = b & 0x07;
      } else {
        units.push(0xFFFD);
      }
    } else if (b < lower || b > upper) {
      // Error: emit U+FFFD and reprocess this byte from the initial state.
      needed = 0;
      seen = 0;
      cp = 0;
      lower = 0x80;
      upper = 0xBF;
      units.push(0xFFFD);
      i--;
    } else {
      lower = 0x80;
      upper = 0xBF;
      cp = (cp << 6) | (b & 0x3F);
      if (++seen === needed) {
        if (cp > 0xFFFF) {
          cp -= 0x10000;
          units.push(0xD800 | (cp >> 10), 0xDC00 | (cp & 0x3FF));
        } else {
          units.push(cp);
        }
        needed = 0;
        seen = 0;
        cp = 0;
      }
    }
    if (units.length >= 8192) {
      flush(units, parts);
    }
  }
  if (needed !== 0) {
    units.push(0xFFFD); // truncated sequence at end of input
  }
  flush(units, parts);
  return parts.length === 1 ? parts[0] : parts.join("");
}

module.exports = {
  utf8Encode,
  utf8DecodeWithoutBOM
};
