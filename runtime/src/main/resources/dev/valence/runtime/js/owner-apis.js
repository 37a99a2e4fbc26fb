// What a val can reach of its owner's data: Deno.env and process.env (the owner's environment
// variables, read-only) and the binding std/blob is built on. Evaluated after the prelude, in contexts
// of vals only; `host` holds Java functions already bound to the val's owner, so nothing here can
// name another owner.
(function (host) {
  'use strict';
  const global = globalThis;

  function define(target, name, value) {
    if (Object.isExtensible(target)) {
      Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: false });
    }
  }

  function readOnly(what) {
    return () => {
      throw new TypeError(what + ' is read-only in a val: set environment variables with the API (PUT /v1/me/env/{key}).');
    };
  }

  const env = Object.freeze({
    get(key) {
      const value = host.envGet(String(key));
      return value === null ? undefined : value;
    },
    has(key) { return host.envGet(String(key)) !== null; },
    toObject() { return JSON.parse(host.envAll()); },
    set: readOnly('Deno.env'),
    delete: readOnly('Deno.env'),
  });

  const deno = global.Deno && typeof global.Deno === 'object' ? global.Deno : {};
  define(deno, 'env', env);
  if (global.Deno !== deno) Object.defineProperty(global, 'Deno', { value: deno, writable: true, configurable: true, enumerable: false });

  const processEnv = new Proxy(Object.create(null), {
    get(_, key) { return typeof key === 'string' ? env.get(key) : undefined; },
    has(_, key) { return typeof key === 'string' && env.has(key); },
    ownKeys() { return Object.keys(env.toObject()); },
    getOwnPropertyDescriptor(_, key) {
      const value = typeof key === 'string' ? env.get(key) : undefined;
      return value === undefined ? undefined : { value, writable: false, enumerable: true, configurable: true };
    },
    set: readOnly('process.env'),
    defineProperty: readOnly('process.env'),
    deleteProperty: readOnly('process.env'),
  });
  const proc = global.process && typeof global.process === 'object' ? global.process : {};
  define(proc, 'env', processEnv);
  if (global.process !== proc) Object.defineProperty(global, 'process', { value: proc, writable: true, configurable: true, enumerable: false });

  // std/blob (a module) finds its binding here. Guest code can reach it too, which gives it nothing
  // beyond importing std/blob: every function is bound to this val's owner in Java.
  define(global, Symbol.for('valence.blob'), Object.freeze({
    get: (key) => host.blobGet(key),
    set: (key, value, contentType) => host.blobSet(key, value, contentType),
    delete: (key) => host.blobDelete(key),
    list: (prefix) => host.blobList(prefix),
  }));

  // std/email finds its binding here; the Java function sends as this val and no other.
  if (host.emailSend) {
    define(global, Symbol.for('valence.email'), Object.freeze({
      send: (json, buffers) => host.emailSend(json, buffers),
    }));
  }
})
