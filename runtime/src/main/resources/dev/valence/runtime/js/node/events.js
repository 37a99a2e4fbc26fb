// node:events for packages: EventEmitter as Node defines it, the parts libraries call. It is a function,
// not a class, because older CommonJS libraries extend it the pre-class way (util.inherits and
// EventEmitter.call(this)); its listeners live in this._events, where some libraries look for them.
export function EventEmitter(options) {
  EventEmitter.init.call(this, options);
}

EventEmitter.defaultMaxListeners = 10;
EventEmitter.errorMonitor = Symbol("events.errorMonitor");

EventEmitter.init = function init() {
  if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  }
  this._maxListeners = this._maxListeners || undefined;
};

function eventsOf(emitter) {
  if (emitter._events === undefined) EventEmitter.init.call(emitter);
  return emitter._events;
}

function checkListener(listener) {
  if (typeof listener !== "function") {
    throw new TypeError(`The "listener" argument must be of type function. Received type ${typeof listener}`);
  }
}

function add(emitter, name, listener, prepend) {
  const events = eventsOf(emitter);
  if (events.newListener !== undefined) emitter.emit("newListener", name, listener.listener ?? listener);
  const list = events[name];
  if (list === undefined) {
    events[name] = [listener];
    emitter._eventsCount++;
  } else if (prepend) {
    list.unshift(listener);
  } else {
    list.push(listener);
  }
  return emitter;
}

function onceWrapper(emitter, name, listener) {
  let fired = false;
  function wrapped(...args) {
    emitter.removeListener(name, wrapped);
    if (fired) return undefined;
    fired = true;
    return listener.apply(this, args);
  }
  wrapped.listener = listener;
  return wrapped;
}

const proto = EventEmitter.prototype;
proto._events = undefined;
proto._eventsCount = 0;
proto._maxListeners = undefined;

proto.on = function on(name, listener) {
  checkListener(listener);
  return add(this, name, listener, false);
};
proto.addListener = proto.on;
proto.prependListener = function prependListener(name, listener) {
  checkListener(listener);
  return add(this, name, listener, true);
};
// through this.on, as in Node, so a subclass's on (a stream's, which starts the flow of 'data') sees once too
proto.once = function once(name, listener) {
  checkListener(listener);
  return this.on(name, onceWrapper(this, name, listener));
};
proto.prependOnceListener = function prependOnceListener(name, listener) {
  checkListener(listener);
  return this.prependListener(name, onceWrapper(this, name, listener));
};

proto.removeListener = function removeListener(name, listener) {
  checkListener(listener);
  const events = eventsOf(this);
  const list = events[name];
  if (list === undefined) return this;
  let at = -1;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i] === listener || list[i].listener === listener) {
      at = i;
      break;
    }
  }
  if (at < 0) return this;
  const removed = list[at];
  list.splice(at, 1);
  if (list.length === 0) {
    delete events[name];
    this._eventsCount--;
  }
  if (events.removeListener !== undefined) this.emit("removeListener", name, removed.listener ?? removed);
  return this;
};
proto.off = proto.removeListener;

proto.removeAllListeners = function removeAllListeners(name) {
  const events = eventsOf(this);
  if (name === undefined) {
    this._events = Object.create(null);
    this._eventsCount = 0;
  } else if (events[name] !== undefined) {
    delete events[name];
    this._eventsCount--;
  }
  return this;
};

proto.emit = function emit(name, ...args) {
  const events = eventsOf(this);
  if (name === "error" && events[EventEmitter.errorMonitor] !== undefined) this.emit(EventEmitter.errorMonitor, ...args);
  const list = events[name];
  if (list === undefined || list.length === 0) {
    if (name === "error") {
      if (args[0] instanceof Error) throw args[0];
      const error = new Error(`Unhandled error. (${String(args[0])})`);
      error.code = "ERR_UNHANDLED_ERROR";
      error.context = args[0];
      throw error;
    }
    return false;
  }
  for (const listener of list.slice()) listener.apply(this, args);
  return true;
};

proto.listeners = function listeners(name) {
  return (eventsOf(this)[name] ?? []).map((l) => l.listener ?? l);
};
proto.rawListeners = function rawListeners(name) {
  return (eventsOf(this)[name] ?? []).slice();
};
proto.listenerCount = function listenerCount(name) {
  return (eventsOf(this)[name] ?? []).length;
};
proto.eventNames = function eventNames() {
  return Reflect.ownKeys(eventsOf(this));
};
proto.setMaxListeners = function setMaxListeners(n) {
  this._maxListeners = n;
  return this;
};
proto.getMaxListeners = function getMaxListeners() {
  return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
};

export function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (error) => { emitter.removeListener(name, onEvent); reject(error); };
    const onEvent = (...args) => { if (name !== "error") emitter.removeListener("error", onError); resolve(args); };
    emitter.once(name, onEvent);
    if (name !== "error") emitter.once("error", onError);
  });
}

export function listenerCount(emitter, name) {
  return emitter.listenerCount(name);
}

export const errorMonitor = EventEmitter.errorMonitor;
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.once = once;
EventEmitter.listenerCount = listenerCount;
export default EventEmitter;
