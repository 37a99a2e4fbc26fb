// crypto.subtle beyond digest (W3C Web Cryptography API): the algorithm registry, parameter
// normalization, key usages and formats, JWK, and CryptoKey. The cryptography itself runs in Java on
// the JDK's providers (engine/crypto/WebCrypto.java, reached as `host`); key material stays there and
// a CryptoKey keeps only an opaque handle in a private field.
//
// The prelude evaluates this file the first time a val uses a key operation. The script evaluates to
// a function that the prelude calls with `host` and its own helpers; it returns { subtle, CryptoKey }.
(function (host, DOMException, toBytes, utf8Encode, utf8Decode) {
  'use strict';

  // ---------------------------------------------------------------- registry
  const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
  const HASH_BLOCK_BITS = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 };
  const SIGNERS = ['HMAC', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA', 'Ed25519'];
  const CIPHERS = ['AES-GCM', 'AES-CBC', 'AES-CTR', 'RSA-OAEP'];
  const DERIVERS = ['ECDH', 'X25519', 'PBKDF2', 'HKDF'];
  const AES = ['AES-GCM', 'AES-CBC', 'AES-CTR', 'AES-KW'];
  const OPERATIONS = {
    sign: SIGNERS,
    verify: SIGNERS,
    encrypt: CIPHERS,
    decrypt: CIPHERS,
    wrapKey: [...CIPHERS, 'AES-KW'],
    unwrapKey: [...CIPHERS, 'AES-KW'],
    deriveBits: DERIVERS,
    generateKey: ['HMAC', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'Ed25519', 'X25519', ...AES],
    importKey: ['HMAC', 'RSASSA-PKCS1-v1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'Ed25519', 'X25519', 'PBKDF2', 'HKDF', ...AES],
    'get key length': ['HMAC', ...AES, 'PBKDF2', 'HKDF'],
    digest: HASHES,
  };
  /** Every registered name by its upper case: names match case-insensitively. */
  const NAMES = new Map(Object.values(OPERATIONS).flat().map(n => [n.toUpperCase(), n]));

  // The recognized usages in the standard's order; a key's usages are kept in this order, once each.
  const USAGES = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey', 'unwrapKey'];
  const SIGN_USAGES = { public: ['verify'], private: ['sign'] };
  const OAEP_USAGES = { public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'] };
  const AGREE_USAGES = { public: [], private: ['deriveKey', 'deriveBits'] };
  /** What each kind of key may be used for, by key type. */
  const KEY_USAGES = {
    'HMAC': { secret: ['sign', 'verify'] },
    'AES-GCM': { secret: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] },
    'AES-CBC': { secret: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] },
    'AES-CTR': { secret: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] },
    'AES-KW': { secret: ['wrapKey', 'unwrapKey'] },
    'PBKDF2': { secret: ['deriveKey', 'deriveBits'] },
    'HKDF': { secret: ['deriveKey', 'deriveBits'] },
    'RSASSA-PKCS1-v1_5': SIGN_USAGES, 'RSA-PSS': SIGN_USAGES, 'ECDSA': SIGN_USAGES, 'Ed25519': SIGN_USAGES,
    'RSA-OAEP': OAEP_USAGES, 'ECDH': AGREE_USAGES, 'X25519': AGREE_USAGES,
  };
  /** The key family the host parses each asymmetric algorithm's keys as. */
  const FAMILY = { 'RSASSA-PKCS1-v1_5': 'RSA', 'RSA-PSS': 'RSA', 'RSA-OAEP': 'RSA', 'ECDSA': 'EC', 'ECDH': 'EC', 'Ed25519': 'Ed25519', 'X25519': 'X25519' };
  const JWK_KTY = { RSA: 'RSA', EC: 'EC', Ed25519: 'OKP', X25519: 'OKP' };
  const CURVES = ['P-256', 'P-384', 'P-521'];
  const GCM_TAG_BITS = [32, 64, 96, 104, 112, 120, 128];

  // ---------------------------------------------------------------- errors and conversions
  function fail(op, message, name) {
    throw new DOMException('crypto.subtle.' + op + ': ' + message, name);
  }

  /** A host answer, or the DOMException the host refused the operation with. */
  function answered(op, result) {
    if (result !== null && typeof result === 'object' && typeof result.failure === 'string') {
      // the host writes sentences; after "crypto.subtle.op: " they continue one (an acronym keeps its capitals)
      const message = String(result.message).replace(/\.$/, '');
      fail(op, /^[A-Z][a-z]/.test(message) ? message[0].toLowerCase() + message.slice(1) : message, result.failure);
    }
    return result;
  }

  /** A private copy of a BufferSource's bytes, as an ArrayBuffer for the host. */
  function bufferOf(op, value, what) {
    if (!(value instanceof ArrayBuffer) && !ArrayBuffer.isView(value)) {
      throw new TypeError('crypto.subtle.' + op + ': ' + what + ' must be an ArrayBuffer or an ArrayBufferView');
    }
    return toBytes(value, 'crypto.subtle.' + op).slice().buffer;
  }

  function arrayBufferOf(hostBuffer) {
    return new Uint8Array(hostBuffer).slice().buffer;
  }

  function integer(op, value, what) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new TypeError('crypto.subtle.' + op + ': ' + what + ' must be a number, not ' + String(value));
    const whole = Math.trunc(n);
    if (whole < 0 || whole > 0x7fffffff) fail(op, what + ' must be from 0 to 2147483647; got ' + whole, 'OperationError');
    return whole;
  }

  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function base64url(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63];
      if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
      if (i + 2 < bytes.length) out += B64[n & 63];
    }
    return out;
  }
  function fromBase64url(op, text, what) {
    if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
      fail(op, 'the JWK\'s "' + what + '" is not base64url text', 'DataError');
    }
    const out = new Uint8Array(Math.floor(text.length * 3 / 4));
    let buffer = 0, bits = 0, n = 0;
    for (let i = 0; i < text.length; i++) {
      buffer = (buffer << 6) | B64.indexOf(text[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; out[n++] = (buffer >> bits) & 0xff; }
    }
    return out;
  }

  // ---------------------------------------------------------------- algorithm normalization
  /** The standard's "normalize an algorithm": the canonical name and the members that operation reads. */
  function normalize(op, algorithm, forOp = op) {
    if (typeof algorithm === 'string') algorithm = { name: algorithm };
    if (algorithm === null || typeof algorithm !== 'object') {
      throw new TypeError('crypto.subtle.' + op + ': the algorithm must be a name or an object with a name');
    }
    if (algorithm.name === undefined) throw new TypeError('crypto.subtle.' + op + ': the algorithm object has no name');
    const given = String(algorithm.name);
    const name = NAMES.get(given.toUpperCase());
    if (name === undefined || !OPERATIONS[forOp].includes(name)) {
      fail(op, "the algorithm '" + given + "' is not supported" + (forOp === op ? '' : ' for ' + forOp) + '; supported here: '
        + OPERATIONS[forOp].join(', '), 'NotSupportedError');
    }
    const out = { name };
    const need = (member) => {
      if (algorithm[member] === undefined) throw new TypeError('crypto.subtle.' + op + ': ' + name + ' needs "' + member + '" in the algorithm');
      return algorithm[member];
    };
    const hash = () => normalize(op, need('hash'), 'digest').name;
    const bytes = (member) => bufferOf(op, need(member), name + '\'s "' + member + '"');
    const optionalBytes = (member) => algorithm[member] === undefined ? null : bytes(member);
    switch (forOp + ' ' + name) {
      case 'sign HMAC': case 'verify HMAC': case 'sign RSASSA-PKCS1-v1_5': case 'verify RSASSA-PKCS1-v1_5':
      case 'sign Ed25519': case 'verify Ed25519':
        break;
      case 'sign RSA-PSS': case 'verify RSA-PSS':
        out.saltLength = integer(op, need('saltLength'), 'saltLength');
        break;
      case 'sign ECDSA': case 'verify ECDSA':
        out.hash = hash();
        break;
      case 'generateKey HMAC': case 'importKey HMAC': case 'get key length HMAC':
        out.hash = hash();
        if (algorithm.length !== undefined) out.length = integer(op, algorithm.length, 'length');
        break;
      case 'generateKey AES-GCM': case 'generateKey AES-CBC': case 'generateKey AES-CTR': case 'generateKey AES-KW':
      case 'get key length AES-GCM': case 'get key length AES-CBC': case 'get key length AES-CTR': case 'get key length AES-KW':
        out.length = integer(op, need('length'), 'length');
        break;
      case 'generateKey RSASSA-PKCS1-v1_5': case 'generateKey RSA-PSS': case 'generateKey RSA-OAEP':
        out.modulusLength = integer(op, need('modulusLength'), 'modulusLength');
        if (!(need('publicExponent') instanceof Uint8Array)) throw new TypeError('crypto.subtle.' + op + ': publicExponent must be a Uint8Array (big-endian), such as new Uint8Array([1, 0, 1])');
        out.publicExponent = algorithm.publicExponent.slice();
        out.hash = hash();
        break;
      case 'importKey RSASSA-PKCS1-v1_5': case 'importKey RSA-PSS': case 'importKey RSA-OAEP':
        out.hash = hash();
        break;
      case 'generateKey ECDSA': case 'generateKey ECDH': case 'importKey ECDSA': case 'importKey ECDH':
        out.namedCurve = String(need('namedCurve'));
        if (!CURVES.includes(out.namedCurve)) fail(op, "the curve '" + out.namedCurve + "' is not supported; use P-256, P-384 or P-521", 'NotSupportedError');
        break;
      case 'encrypt AES-GCM': case 'decrypt AES-GCM': case 'wrapKey AES-GCM': case 'unwrapKey AES-GCM':
        out.iv = bytes('iv');
        out.additionalData = optionalBytes('additionalData');
        out.tagLength = algorithm.tagLength === undefined ? 128 : integer(op, algorithm.tagLength, 'tagLength');
        if (!GCM_TAG_BITS.includes(out.tagLength)) fail(op, 'AES-GCM tagLength must be one of ' + GCM_TAG_BITS.join(', ') + '; got ' + out.tagLength, 'OperationError');
        if (out.tagLength < 96) fail(op, 'AES-GCM tags shorter than 96 bits are not supported here (the JDK has none); use 96 to 128', 'NotSupportedError');
        break;
      case 'encrypt AES-CBC': case 'decrypt AES-CBC': case 'wrapKey AES-CBC': case 'unwrapKey AES-CBC':
        out.iv = bytes('iv');
        break;
      case 'encrypt AES-CTR': case 'decrypt AES-CTR': case 'wrapKey AES-CTR': case 'unwrapKey AES-CTR':
        out.counter = bytes('counter');
        out.length = integer(op, need('length'), 'length');
        if (out.length < 1 || out.length > 128) fail(op, 'AES-CTR length (the counter\'s bits) must be 1 to 128; got ' + out.length, 'OperationError');
        break;
      case 'encrypt RSA-OAEP': case 'decrypt RSA-OAEP': case 'wrapKey RSA-OAEP': case 'unwrapKey RSA-OAEP':
        out.label = optionalBytes('label');
        break;
      case 'deriveBits ECDH': case 'deriveBits X25519':
        if (!isKey(need('public'))) throw new TypeError('crypto.subtle.' + op + ': ' + name + '\'s "public" must be a CryptoKey');
        out.public = algorithm.public;
        break;
      case 'deriveBits PBKDF2':
        out.hash = hash();
        out.salt = bytes('salt');
        out.iterations = integer(op, need('iterations'), 'iterations');
        break;
      case 'deriveBits HKDF':
        out.hash = hash();
        out.salt = bytes('salt');
        out.info = bytes('info');
        break;
    }
    return out;
  }

  /** "an ECDSA", "an HMAC", "a PBKDF2": the article for an algorithm's name as its letters are read aloud. */
  const a = (name) => (/^[AEFHILMNORSX]/.test(name) ? 'an ' : 'a ') + name;

  function checkUsages(op, usages) {
    if (usages === null || typeof usages !== 'object' || typeof usages[Symbol.iterator] !== 'function') {
      throw new TypeError('crypto.subtle.' + op + ': keyUsages must be an array of usages, such as ["sign", "verify"]');
    }
    const list = Array.from(usages, String);
    for (const u of list) {
      if (!USAGES.includes(u)) throw new TypeError('crypto.subtle.' + op + ": '" + u + "' is not a key usage; the usages are " + USAGES.join(', '));
    }
    return list;
  }

  /** The usages a key of this algorithm and type may have; a SyntaxError names any other. */
  function usagesFor(op, name, type, requested) {
    const allowed = KEY_USAGES[name][type];
    const bad = requested.filter(u => !allowed.includes(u));
    if (bad.length > 0) {
      fail(op, 'a ' + type + ' ' + name + ' key cannot be used for ' + bad.join(', ') + '; it can be used for '
        + (allowed.length ? allowed.join(', ') : 'nothing (pass [])'), 'SyntaxError');
    }
    return USAGES.filter(u => requested.includes(u));
  }

  // ---------------------------------------------------------------- CryptoKey
  const CONSTRUCTING = Symbol('constructing');

  // The algorithm object and usages array a key shows are the val's to change; checks read the
  // key's own frozen copy (the standard's internal slots), which no val code can reach.
  class CryptoKey {
    #type; #extractable; #algorithm; #usages; #handle; #internal;
    constructor(token, type, extractable, algorithm, usages, handle) {
      if (token !== CONSTRUCTING) throw new TypeError('Illegal constructor: CryptoKeys come from crypto.subtle.generateKey, importKey, deriveKey and unwrapKey');
      this.#type = type;
      this.#extractable = extractable;
      this.#algorithm = algorithm;
      this.#usages = usages;
      this.#handle = handle;
      this.#internal = Object.freeze({ type, extractable, name: algorithm.name, hash: algorithm.hash ? algorithm.hash.name : undefined,
        namedCurve: algorithm.namedCurve, usages: Object.freeze(usages.slice()) });
    }
    get type() { return this.#type; }
    get extractable() { return this.#extractable; }
    get algorithm() { return this.#algorithm; }
    get usages() { return this.#usages; }
    get [Symbol.toStringTag]() { return 'CryptoKey'; }
    static handleOf(key) { return key.#handle; }
    static internalOf(key) { return key.#internal; }
    static is(key) { return typeof key === 'object' && key !== null && #handle in key; }
  }
  const handleOf = CryptoKey.handleOf;
  const internalOf = CryptoKey.internalOf;
  const isKey = CryptoKey.is;
  delete CryptoKey.handleOf;
  delete CryptoKey.internalOf;
  delete CryptoKey.is;

  /** A CryptoKey around what the host described: its handle, type and numbers. */
  function newKey(described, algorithm, extractable, usages) {
    const keyAlgorithm = { name: algorithm.name };
    switch (algorithm.name) {
      case 'HMAC':
        keyAlgorithm.length = algorithm.length === undefined ? described.lengthBits : algorithm.length;
        keyAlgorithm.hash = { name: algorithm.hash };
        break;
      case 'AES-GCM': case 'AES-CBC': case 'AES-CTR': case 'AES-KW':
        keyAlgorithm.length = described.lengthBits;
        break;
      case 'RSASSA-PKCS1-v1_5': case 'RSA-PSS': case 'RSA-OAEP':
        keyAlgorithm.modulusLength = described.modulusLength;
        keyAlgorithm.hash = { name: algorithm.hash }; // before publicExponent, as in Deno
        keyAlgorithm.publicExponent = described.publicExponent == null ? new Uint8Array(0) : new Uint8Array(arrayBufferOf(described.publicExponent));
        break;
      case 'ECDSA': case 'ECDH':
        keyAlgorithm.namedCurve = described.namedCurve;
        break;
    }
    return new CryptoKey(CONSTRUCTING, described.type, Boolean(extractable), keyAlgorithm, usages, described.handle);
  }

  /** The key's internal slots, after checking it is a CryptoKey of that algorithm allowed that usage. */
  function checkKey(op, key, what, algorithmName, usage) {
    if (!isKey(key)) throw new TypeError('crypto.subtle.' + op + ': ' + what + ' must be a CryptoKey');
    const k = internalOf(key);
    if (algorithmName !== undefined && k.name !== algorithmName) {
      fail(op, what + ' is ' + a(k.name) + ' key, not ' + a(algorithmName) + ' key', 'InvalidAccessError');
    }
    if (usage !== undefined && !k.usages.includes(usage)) {
      fail(op, what + "'s usages are [" + k.usages.join(', ') + "], which do not include '" + usage
        + "'; import or generate it with '" + usage + "' in its usages", 'InvalidAccessError');
    }
    return k;
  }

  // ---------------------------------------------------------------- generateKey
  function generateKey(op, algorithm, extractable, usages) {
    const requested = checkUsages(op, usages);
    const alg = normalize(op, algorithm);
    const name = alg.name;
    if (KEY_USAGES[name].secret) {
      const keyUsages = usagesFor(op, name, 'secret', requested);
      let bits;
      if (name === 'HMAC') {
        bits = alg.length === undefined ? HASH_BLOCK_BITS[alg.hash] : alg.length;
        if (bits <= 0 || bits % 8 !== 0) fail(op, 'generated HMAC keys are whole bytes long (a positive multiple of 8 bits); got ' + bits, 'OperationError');
      } else {
        bits = alg.length;
        if (![128, 192, 256].includes(bits)) fail(op, name + ' keys are 128, 192 or 256 bits long; got ' + bits, 'OperationError');
      }
      if (keyUsages.length === 0) fail(op, 'a secret key needs at least one usage; pass, for example, ' + JSON.stringify(KEY_USAGES[name].secret), 'SyntaxError');
      return newKey(answered(op, host.generateSecret(bits / 8)), alg, extractable, keyUsages);
    }
    const publicUsages = usagesFor(op, name, 'public', requested.filter(u => KEY_USAGES[name].public.includes(u)));
    const privateUsages = usagesFor(op, name, 'private', requested.filter(u => !KEY_USAGES[name].public.includes(u)));
    if (privateUsages.length === 0) fail(op, 'the private key needs at least one usage; pass, for example, ' + JSON.stringify(KEY_USAGES[name].private), 'SyntaxError');
    if (FAMILY[name] === 'RSA' && (alg.modulusLength < 1024 || alg.modulusLength > 4096 || alg.modulusLength % 8 !== 0)) {
      fail(op, 'RSA keys are generated here with a modulusLength of 1024 to 4096 bits, in whole bytes; got ' + alg.modulusLength
        + ' (import a longer key made elsewhere)', 'OperationError');
    }
    const pair = answered(op, host.generatePair(FAMILY[name], alg.namedCurve === undefined ? null : alg.namedCurve,
      alg.modulusLength === undefined ? null : alg.modulusLength, alg.publicExponent === undefined ? null : alg.publicExponent.slice().buffer));
    return {
      publicKey: newKey(pair.publicKey, alg, true, publicUsages),
      privateKey: newKey(pair.privateKey, alg, extractable, privateUsages),
    };
  }

  // ---------------------------------------------------------------- importKey
  const FORMATS = ['raw', 'spki', 'pkcs8', 'jwk'];

  function jwkAlgFor(alg, lengthBits) {
    const bits = (h) => h.slice(4);
    switch (alg.name) {
      case 'HMAC': return 'HS' + (alg.hash === 'SHA-1' ? '1' : bits(alg.hash));
      case 'AES-GCM': case 'AES-CBC': case 'AES-CTR': case 'AES-KW': return 'A' + lengthBits + alg.name.slice(4);
      case 'RSASSA-PKCS1-v1_5': return 'RS' + (alg.hash === 'SHA-1' ? '1' : bits(alg.hash));
      case 'RSA-PSS': return 'PS' + (alg.hash === 'SHA-1' ? '1' : bits(alg.hash));
      case 'RSA-OAEP': return alg.hash === 'SHA-1' ? 'RSA-OAEP' : 'RSA-OAEP-' + bits(alg.hash);
      case 'ECDSA': return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[alg.namedCurve];
      case 'ECDH': return 'ECDH';
      default: return undefined; // Ed25519 and X25519 keys are exported without "alg", as Deno does
    }
  }

  /** The checks every JWK import makes: kty, use, key_ops and ext (RFC 7517, as WebCrypto applies them). */
  function checkJwk(op, jwk, kty, name, extractable, requested) {
    if (jwk.kty !== kty) fail(op, a(name) + ' JWK has "kty": "' + kty + '", not ' + JSON.stringify(jwk.kty), 'DataError');
    const use = ['AES-GCM', 'AES-CBC', 'AES-CTR', 'AES-KW', 'RSA-OAEP', 'ECDH', 'X25519'].includes(name) ? 'enc' : 'sig';
    if (requested.length > 0 && jwk.use !== undefined && jwk.use !== use) {
      fail(op, 'the JWK\'s "use" is ' + JSON.stringify(jwk.use) + '; a ' + name + ' key needs "' + use + '"', 'DataError');
    }
    if (jwk.key_ops !== undefined) {
      if (!Array.isArray(jwk.key_ops) || new Set(jwk.key_ops).size !== jwk.key_ops.length) fail(op, 'the JWK\'s "key_ops" must be an array without repeats', 'DataError');
      const missing = requested.filter(u => !jwk.key_ops.includes(u));
      if (missing.length > 0) fail(op, 'the JWK\'s "key_ops" (' + jwk.key_ops.join(', ') + ') do not allow ' + missing.join(', '), 'DataError');
    }
    if (jwk.ext === false && extractable) fail(op, 'the JWK says "ext": false, so it cannot be imported as extractable; pass extractable false', 'DataError');
  }

  function importKey(op, format, keyData, algorithm, extractable, usages) {
    if (!FORMATS.includes(format)) throw new TypeError('crypto.subtle.' + op + ": '" + format + "' is not a key format; use raw, spki, pkcs8 or jwk");
    let jwk = null, data = null;
    if (format === 'jwk') {
      if (keyData === null || typeof keyData !== 'object' || ArrayBuffer.isView(keyData) || keyData instanceof ArrayBuffer) {
        throw new TypeError('crypto.subtle.' + op + ': a jwk import takes the key as an object (a parsed JSON Web Key)');
      }
      jwk = keyData;
    } else {
      data = bufferOf(op, keyData, 'the key data');
      if ((format === 'spki' || format === 'pkcs8') && /^-----BEGIN /.test(String.fromCharCode.apply(null, new Uint8Array(data, 0, Math.min(11, data.byteLength))))) {
        fail(op, 'the key data is PEM text; ' + format + ' takes the DER bytes inside it: drop the -----BEGIN and -----END lines and base64-decode the rest', 'DataError');
      }
    }
    const requested = checkUsages(op, usages);
    const alg = normalize(op, algorithm, 'importKey');
    const name = alg.name;
    if (KEY_USAGES[name].secret) {
      const keyUsages = usagesFor(op, name, 'secret', requested);
      if (name === 'PBKDF2' || name === 'HKDF') {
        // never extractable; an import asking for true gets false, as in Deno (the standard says SyntaxError)
        if (format !== 'raw') fail(op, name + ' keys are imported as raw bytes only', 'NotSupportedError');
      } else if (format !== 'raw' && format !== 'jwk') {
        fail(op, name + ' keys are imported as raw or jwk, not ' + format, 'NotSupportedError');
      }
      if (jwk !== null) {
        checkJwk(op, jwk, 'oct', name, extractable, requested);
        data = fromBase64url(op, jwk.k, 'k').buffer;
      }
      const bits = data.byteLength * 8;
      if (name === 'HMAC') {
        if (bits === 0) fail(op, 'an HMAC key cannot be empty', 'DataError');
        if (alg.length !== undefined && (alg.length > bits || alg.length <= bits - 8)) {
          fail(op, 'the HMAC length ' + alg.length + ' does not fit a ' + bits + '-bit key', 'DataError');
        }
      } else if (AES.includes(name) && ![128, 192, 256].includes(bits)) {
        fail(op, name + ' keys are 16, 24 or 32 bytes; got ' + data.byteLength, 'DataError');
      }
      if (jwk !== null && jwk.alg !== undefined && jwk.alg !== jwkAlgFor(alg, bits)) {
        fail(op, 'the JWK\'s "alg" is ' + JSON.stringify(jwk.alg) + '; this key is ' + jwkAlgFor(alg, bits), 'DataError');
      }
      if (keyUsages.length === 0) fail(op, 'a secret key needs at least one usage', 'SyntaxError');
      return newKey(answered(op, host.importSecret(data)), alg, name === 'PBKDF2' || name === 'HKDF' ? false : extractable, keyUsages);
    }
    const family = FAMILY[name];
    if (format === 'raw' && family === 'RSA') fail(op, 'RSA keys have no raw format; use spki, pkcs8 or jwk', 'NotSupportedError');
    let hostData = data;
    if (jwk !== null) {
      checkJwk(op, jwk, JWK_KTY[family], name, extractable, requested);
      // ECDH and X25519 keys may carry any "alg" (ECDH-ES and its variants); Ed25519 has two names
      const expected = name === 'Ed25519' ? ['Ed25519', 'EdDSA'] : name === 'ECDH' || name === 'X25519' ? null : [jwkAlgFor(alg)];
      if (jwk.alg !== undefined && expected !== null && !expected.includes(jwk.alg)) {
        fail(op, 'the JWK\'s "alg" is ' + JSON.stringify(jwk.alg) + '; this key needs ' + expected.map(a => JSON.stringify(a)).join(' or '), 'DataError');
      }
      if (jwk.oth !== undefined) fail(op, 'RSA keys with more than two primes ("oth") are not supported', 'NotSupportedError');
      hostData = {};
      for (const field of ['crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi']) {
        if (jwk[field] !== undefined) hostData[field] = String(jwk[field]);
      }
    }
    const type = format === 'pkcs8' || (format === 'jwk' && jwk.d !== undefined) ? 'private' : 'public';
    const keyUsages = usagesFor(op, name, type, requested);
    if (type === 'private' && keyUsages.length === 0) {
      fail(op, 'a private key needs at least one usage; pass, for example, ' + JSON.stringify(KEY_USAGES[name].private), 'SyntaxError');
    }
    const described = answered(op, host.importKey(family, format, hostData, alg.namedCurve === undefined ? null : alg.namedCurve));
    return newKey(described, alg, extractable, keyUsages);
  }

  // ---------------------------------------------------------------- exportKey
  function exportKey(op, format, key) {
    if (!FORMATS.includes(format)) throw new TypeError('crypto.subtle.' + op + ": '" + format + "' is not a key format; use raw, spki, pkcs8 or jwk");
    const k = checkKey(op, key, 'the key');
    if (!k.extractable) fail(op, 'the key is not extractable; import or generate it with extractable true to export it', 'InvalidAccessError');
    const name = k.name;
    const allowed = k.type === 'secret' ? (name === 'PBKDF2' || name === 'HKDF' ? [] : ['raw', 'jwk'])
      : k.type === 'public' ? (FAMILY[name] === 'RSA' ? ['spki', 'jwk'] : ['spki', 'jwk', 'raw']) : ['pkcs8', 'jwk'];
    if (!allowed.includes(format)) {
      fail(op, 'a ' + k.type + ' ' + name + ' key exports as ' + (allowed.join(' or ') || 'nothing') + ', not ' + format, 'InvalidAccessError');
    }
    const exported = answered(op, host.exportKey(handleOf(key), format));
    if (format !== 'jwk') return arrayBufferOf(exported);
    // members in the order Deno writes them: kty, alg, the key's fields, key_ops, ext
    const jwk = {};
    if (k.type === 'secret') {
      const bytes = new Uint8Array(arrayBufferOf(exported));
      jwk.kty = 'oct';
      jwk.alg = jwkAlgFor({ name, hash: k.hash }, bytes.length * 8);
      jwk.k = base64url(bytes);
    } else {
      jwk.kty = exported.kty;
      const alg = jwkAlgFor({ name, hash: k.hash, namedCurve: k.namedCurve });
      if (alg !== undefined) jwk.alg = alg;
      for (const field of FAMILY[name] === 'RSA' ? ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] : ['crv', 'd', 'x', 'y']) {
        const v = exported[field];
        if (typeof v === 'string') jwk[field] = v;
      }
    }
    jwk.key_ops = k.usages.slice();
    jwk.ext = k.extractable;
    return jwk;
  }

  // ---------------------------------------------------------------- sign, verify, encrypt, decrypt
  /** The normalized parameters for the host, with the key's hash where the call names none (HMAC, RSA, PBKDF2/HKDF pass their own). */
  function hostParams(alg, key) {
    const params = Object.assign({}, alg);
    if (params.hash === undefined && internalOf(key).hash !== undefined) params.hash = internalOf(key).hash;
    return params;
  }

  function sign(op, algorithm, key, data) {
    const alg = normalize(op, algorithm);
    const bytes = bufferOf(op, data, 'the data');
    const k = checkKey(op, key, 'the key', alg.name, 'sign');
    return arrayBufferOf(answered(op, host.sign(alg.name, alg.hash || k.hash || null, alg.saltLength === undefined ? null : alg.saltLength,
      handleOf(key), bytes)));
  }

  function verify(op, algorithm, key, signature, data) {
    const alg = normalize(op, algorithm);
    const sig = bufferOf(op, signature, 'the signature');
    const bytes = bufferOf(op, data, 'the data');
    const k = checkKey(op, key, 'the key', alg.name, 'verify');
    return answered(op, host.verify(alg.name, alg.hash || k.hash || null, alg.saltLength === undefined ? null : alg.saltLength,
      handleOf(key), sig, bytes));
  }

  function crypt(op, usage, algorithm, key, data, forOp = op) {
    const alg = normalize(op, algorithm, forOp);
    const bytes = bufferOf(op, data, 'the data');
    checkKey(op, key, 'the key', alg.name, usage);
    const call = usage === 'encrypt' || usage === 'wrapKey' ? host.encrypt : host.decrypt;
    return arrayBufferOf(answered(op, call(hostParams(alg, key), handleOf(key), bytes)));
  }

  // ---------------------------------------------------------------- deriveBits, deriveKey
  function deriveBits(op, alg, baseKey, length, usage) {
    checkKey(op, baseKey, 'the base key', alg.name, usage);
    const params = hostParams(alg, baseKey);
    if (alg.name === 'ECDH' || alg.name === 'X25519') {
      const peer = internalOf(alg.public);
      if (peer.type !== 'public') fail(op, alg.name + '\'s "public" must be a public key, not a ' + peer.type + ' key', 'InvalidAccessError');
      if (peer.name !== alg.name) fail(op, alg.name + '\'s "public" is ' + a(peer.name) + ' key, not ' + a(alg.name) + ' key', 'InvalidAccessError');
      params.public = handleOf(alg.public);
    } else if (length === null) {
      fail(op, alg.name + ' needs a length in bits', 'OperationError');
    }
    if (length !== null && (alg.name === 'PBKDF2' || alg.name === 'HKDF') && length % 8 !== 0) {
      fail(op, alg.name + ' derives whole bytes: length must be a multiple of 8; got ' + length, 'OperationError');
    }
    return arrayBufferOf(answered(op, host.deriveBits(params, handleOf(baseKey), length)));
  }

  /** The standard's "get key length" of a key type deriveKey will make. */
  function keyLength(op, derivedKeyType) {
    const alg = normalize(op, derivedKeyType, 'get key length');
    if (alg.name === 'HMAC') {
      const bits = alg.length === undefined ? HASH_BLOCK_BITS[alg.hash] : alg.length;
      if (bits <= 0) fail(op, 'the HMAC length must be positive', 'TypeError');
      return bits;
    }
    if (alg.name === 'PBKDF2' || alg.name === 'HKDF') return null;
    if (![128, 192, 256].includes(alg.length)) fail(op, alg.name + ' keys are 128, 192 or 256 bits long; got ' + alg.length, 'OperationError');
    return alg.length;
  }

  // ---------------------------------------------------------------- SubtleCrypto
  /** Runs a step as a promise, so every refusal is a rejection (as the standard's methods do). */
  const later = (step) => new Promise(resolve => resolve(step()));

  const subtle = {
    encrypt: (algorithm, key, data) => later(() => crypt('encrypt', 'encrypt', algorithm, key, data)),
    decrypt: (algorithm, key, data) => later(() => crypt('decrypt', 'decrypt', algorithm, key, data)),
    sign: (algorithm, key, data) => later(() => sign('sign', algorithm, key, data)),
    verify: (algorithm, key, signature, data) => later(() => verify('verify', algorithm, key, signature, data)),
    generateKey: (algorithm, extractable, keyUsages) => later(() => generateKey('generateKey', algorithm, extractable, keyUsages)),
    importKey: (format, keyData, algorithm, extractable, keyUsages) =>
      later(() => importKey('importKey', format, keyData, algorithm, extractable, keyUsages)),
    exportKey: (format, key) => later(() => exportKey('exportKey', format, key)),
    deriveBits: (algorithm, baseKey, length = null) => later(() => {
      const alg = normalize('deriveBits', algorithm);
      return deriveBits('deriveBits', alg, baseKey, length === null || length === undefined ? null : integer('deriveBits', length, 'length'), 'deriveBits');
    }),
    deriveKey: (algorithm, baseKey, derivedKeyType, extractable, keyUsages) => later(() => {
      const alg = normalize('deriveKey', algorithm, 'deriveBits');
      const length = keyLength('deriveKey', derivedKeyType);
      checkUsages('deriveKey', keyUsages);
      const bits = deriveBits('deriveKey', alg, baseKey, length, 'deriveKey');
      return importKey('deriveKey', 'raw', bits, derivedKeyType, extractable, keyUsages);
    }),
    wrapKey: (format, key, wrappingKey, wrapAlgorithm) => later(() => {
      checkKey('wrapKey', wrappingKey, 'the wrapping key', normalize('wrapKey', wrapAlgorithm).name, 'wrapKey');
      const exported = exportKey('wrapKey', format, key);
      const bytes = format === 'jwk' ? utf8Encode(JSON.stringify(exported)) : exported;
      return crypt('wrapKey', 'wrapKey', wrapAlgorithm, wrappingKey, bytes);
    }),
    unwrapKey: (format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) => later(() => {
      if (!FORMATS.includes(format)) throw new TypeError("crypto.subtle.unwrapKey: '" + format + "' is not a key format; use raw, spki, pkcs8 or jwk");
      normalize('unwrapKey', unwrappedKeyAlgorithm, 'importKey');
      const bytes = crypt('unwrapKey', 'unwrapKey', unwrapAlgorithm, unwrappingKey, wrappedKey);
      let keyData = bytes;
      if (format === 'jwk') {
        try {
          keyData = JSON.parse(utf8Decode(new Uint8Array(bytes), true));
        } catch (e) {
          fail('unwrapKey', 'the unwrapped bytes are not a JSON Web Key (' + e.message + ')', 'DataError');
        }
      }
      return importKey('unwrapKey', format, keyData, unwrappedKeyAlgorithm, extractable, keyUsages);
    }),
  };

  return { subtle, CryptoKey };
})
