// node:events for packages: EventEmitter as Node defines it, the parts libraries call.
export class EventEmitter {
  static defaultMaxListeners = 10;
  #listeners = new Map();
  #max = EventEmitter.defaultMaxListeners;

  on(name, listener) { return this.#add(name, listener, false, false); }
  addListener(name, listener) { return this.on(name, listener); }
  prependListener(name, listener) { return this.#add(name, listener, true, false); }
  once(name, listener) { return this.#add(name, listener, false, true); }
  prependOnceListener(name, listener) { return this.#add(name, listener, true, true); }

  #add(name, listener, prepend, once) {
    if (typeof listener !== "function") throw new TypeError(`The "listener" argument must be a function, got ${typeof listener}`);
    if (this.#listeners.has("newListener")) this.emit("newListener", name, listener);
    const list = this.#listeners.get(name) ?? [];
    const entry = { listener, once };
    if (prepend) list.unshift(entry); else list.push(entry);
    this.#listeners.set(name, list);
    return this;
  }

  off(name, listener) {
    const list = this.#listeners.get(name);
    if (!list) return this;
    const at = list.findLastIndex((e) => e.listener === listener);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#listeners.delete(name);
    if (at >= 0 && this.#listeners.has("removeListener")) this.emit("removeListener", name, listener);
    return this;
  }
  removeListener(name, listener) { return this.off(name, listener); }
  removeAllListeners(name) {
    if (name === undefined) this.#listeners.clear(); else this.#listeners.delete(name);
    return this;
  }

  emit(name, ...args) {
    const list = this.#listeners.get(name);
    if (!list || list.length === 0) {
      if (name === "error") throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
      return false;
    }
    for (const entry of [...list]) {
      if (entry.once) this.off(name, entry.listener);
      entry.listener.apply(this, args);
    }
    return true;
  }

  listeners(name) { return (this.#listeners.get(name) ?? []).map((e) => e.listener); }
  rawListeners(name) { return this.listeners(name); }
  listenerCount(name) { return (this.#listeners.get(name) ?? []).length; }
  eventNames() { return [...this.#listeners.keys()]; }
  setMaxListeners(n) { this.#max = n; return this; }
  getMaxListeners() { return this.#max; }
}

export function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (error) => { emitter.off(name, onEvent); reject(error); };
    const onEvent = (...args) => { if (name !== "error") emitter.off("error", onError); resolve(args); };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
  });
}

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.once = once;
export default EventEmitter;
