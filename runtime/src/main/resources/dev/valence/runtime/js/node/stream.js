// node:stream for packages: Readable, Writable, Duplex, Transform and PassThrough with Node's events
// ('data', 'end', 'finish', 'drain', 'error', 'close'), flowing and paused reading, pipe, pipeline and
// finished. What it leaves out: backpressure between a Transform's two sides (a transform's callback
// runs as soon as it has pushed), cork batching through _writev, and AbortSignal options. The
// constructors are functions, not classes, so libraries written before classes can extend them with
// util.inherits and Readable.call(this).
import { EventEmitter } from "/node/events.mjs";
import { Buffer } from "/node/buffer.mjs";
import { StringDecoder } from "/node/string_decoder.mjs";

const nextTick = (fn, ...args) => queueMicrotask(() => fn(...args));

function inherits(child, parent) {
  Object.setPrototypeOf(child.prototype, parent.prototype);
  Object.setPrototypeOf(child, parent);
}

function nodeError(code, message, Type = Error) {
  const error = new Type(message);
  error.code = code;
  return error;
}

function toBuffer(chunk) {
  if (chunk instanceof Buffer) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

// ---------------------------------------------------------------- Stream (the legacy base)
export function Stream(options) {
  EventEmitter.call(this, options);
}
inherits(Stream, EventEmitter);

Stream.prototype.pipe = function pipe(destination, options) {
  const source = this;
  source.on("data", (chunk) => {
    if (destination.writable !== false && destination.write(chunk) === false && typeof source.pause === "function") source.pause();
  });
  destination.on("drain", () => {
    if (typeof source.resume === "function") source.resume();
  });
  if (!options || options.end !== false) source.on("end", () => destination.end());
  destination.emit("pipe", source);
  return destination;
};

// ---------------------------------------------------------------- shared: destroy
function destroy(error, callback) {
  const r = this._readableState;
  const w = this._writableState;
  if ((r ?? w).destroyed) {
    if (typeof callback === "function") nextTick(callback, error);
    return this;
  }
  for (const state of [r, w]) {
    if (state === undefined) continue;
    state.destroyed = true;
    if (error) state.errored = error;
  }
  this._destroy(error || null, (failure) => {
    nextTick(() => {
      if (failure && !(w ?? r).errorEmitted) {
        if (w) w.errorEmitted = true;
        if (r) r.errorEmitted = true;
        this.emit("error", failure);
      }
      if ((r ?? w).emitClose) this.emit("close");
      if (typeof callback === "function") callback(failure);
    });
  });
  return this;
}

function destroyFailed(stream, error) {
  if (typeof stream.destroy === "function") stream.destroy(error);
  else nextTick(() => stream.emit("error", error));
}

// ---------------------------------------------------------------- Readable
function ReadableState(options, duplex) {
  this.objectMode = !!(options.objectMode || (duplex && options.readableObjectMode));
  this.highWaterMark = options.readableHighWaterMark ?? options.highWaterMark ?? (this.objectMode ? 16 : 16384);
  this.buffer = [];
  this.length = 0;
  this.flowing = null;
  this.ended = false;
  this.endEmitted = false;
  this.reading = false;
  this.flowScheduled = false;
  this.readableListening = false;
  this.readToEnd = false;
  this.destroyed = false;
  this.errored = null;
  this.errorEmitted = false;
  this.autoDestroy = options.autoDestroy !== false;
  this.emitClose = options.emitClose !== false;
  this.decoder = null;
  this.encoding = null;
  this.pipes = [];
}

export function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  options = options || {};
  this._readableState = new ReadableState(options, this instanceof Duplex);
  if (typeof options.read === "function") this._read = options.read;
  if (typeof options.destroy === "function") this._destroy = options.destroy;
  if (options.encoding) this.setEncoding(options.encoding);
  Stream.call(this, options);
}
inherits(Readable, Stream);

Readable.prototype._read = function _read() {};
Readable.prototype._destroy = function _destroy(error, callback) {
  callback(error);
};
Readable.prototype.destroy = destroy;

Readable.prototype.push = function push(chunk, encoding) {
  return addChunk(this, chunk, encoding, false);
};
Readable.prototype.unshift = function unshift(chunk, encoding) {
  return addChunk(this, chunk, encoding, true);
};

function addChunk(stream, chunk, encoding, front) {
  const state = stream._readableState;
  if (chunk === null) {
    state.reading = false;
    if (!state.ended) {
      const rest = state.decoder === null ? "" : state.decoder.end();
      if (rest) {
        state.buffer.push(rest);
        state.length += rest.length;
      }
      state.ended = true;
    }
    scheduleFlow(stream);
    return false;
  }
  if (state.destroyed) return false;
  if (!state.objectMode) {
    if (typeof chunk === "string") {
      if (state.decoder === null || (encoding && encoding !== state.encoding)) chunk = Buffer.from(chunk, encoding);
    } else {
      const bytes = toBuffer(chunk);
      if (bytes === null) {
        destroyFailed(stream, nodeError("ERR_INVALID_ARG_TYPE",
          'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.', TypeError));
        return false;
      }
      chunk = bytes;
    }
    if (state.decoder !== null && typeof chunk !== "string") chunk = state.decoder.write(chunk);
    if (chunk.length === 0) return state.length < state.highWaterMark;
  }
  if (state.ended && !front) {
    destroyFailed(stream, nodeError("ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"));
    return false;
  }
  state.reading = false;
  if (front) state.buffer.unshift(chunk);
  else state.buffer.push(chunk);
  state.length += state.objectMode ? 1 : chunk.length;
  scheduleFlow(stream);
  return state.length < state.highWaterMark;
}

function scheduleFlow(stream) {
  const state = stream._readableState;
  if (state.flowScheduled) return;
  state.flowScheduled = true;
  nextTick(() => {
    state.flowScheduled = false;
    flow(stream);
  });
}

function takeChunk(state) {
  const chunk = state.buffer.shift();
  state.length -= state.objectMode ? 1 : chunk.length;
  return chunk;
}

/** Hands buffered chunks to 'data' listeners (flowing) or announces them with 'readable', asks _read for more, ends. */
function flow(stream) {
  const state = stream._readableState;
  if (state.destroyed) return;
  while (state.flowing && state.buffer.length > 0) stream.emit("data", takeChunk(state));
  if (!state.flowing && state.readableListening && (state.buffer.length > 0 || state.ended)) stream.emit("readable");
  if (state.ended) {
    if (state.buffer.length === 0 && (state.flowing || state.readToEnd)) endReadable(stream);
    return;
  }
  if (state.flowing && !state.reading && state.length < state.highWaterMark) {
    state.reading = true;
    stream._read(state.highWaterMark);
  }
}

function endReadable(stream) {
  const state = stream._readableState;
  if (state.endEmitted) return;
  state.endEmitted = true;
  nextTick(() => {
    stream.emit("end");
    const w = stream._writableState;
    if (w !== undefined && stream.allowHalfOpen === false && !w.ending) stream.end();
    if (state.autoDestroy && (w === undefined || (w.autoDestroy && w.finished))) stream.destroy();
  });
}

Readable.prototype.read = function read(size) {
  const state = this._readableState;
  if (state.buffer.length === 0) {
    if (state.ended) {
      state.readToEnd = true;
      endReadable(this);
      return null;
    }
    if (!state.reading) {
      state.reading = true;
      this._read(state.highWaterMark);
    }
    if (state.buffer.length === 0) return null;
  }
  let chunk;
  if (state.objectMode) {
    chunk = takeChunk(state);
  } else if (size === undefined || size >= state.length) {
    const parts = state.buffer.splice(0);
    state.length = 0;
    chunk = typeof parts[0] === "string" ? parts.join("") : parts.length === 1 ? parts[0] : Buffer.concat(parts);
  } else {
    const all = typeof state.buffer[0] === "string" ? state.buffer.join("") : Buffer.concat(state.buffer);
    chunk = all.slice(0, size);
    state.buffer = [all.slice(size)];
    state.length = all.length - size;
  }
  if (state.ended && state.buffer.length === 0) scheduleFlow(this);
  this.emit("data", chunk);
  return chunk;
};

Readable.prototype.on = function on(name, listener) {
  const result = Stream.prototype.on.call(this, name, listener);
  const state = this._readableState;
  if (name === "data") {
    if (state.flowing !== false) this.resume();
  } else if (name === "readable") {
    state.readableListening = true;
    state.flowing = false;
    scheduleFlow(this);
  }
  return result;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.resume = function resume() {
  const state = this._readableState;
  if (!state.flowing) {
    state.flowing = !state.readableListening;
    nextTick(() => this.emit("resume"));
    scheduleFlow(this);
  }
  return this;
};
Readable.prototype.pause = function pause() {
  const state = this._readableState;
  if (state.flowing !== false) {
    state.flowing = false;
    this.emit("pause");
  }
  return this;
};
Readable.prototype.isPaused = function isPaused() {
  return this._readableState.flowing === false;
};
Readable.prototype.setEncoding = function setEncoding(encoding) {
  const state = this._readableState;
  state.decoder = new StringDecoder(encoding);
  state.encoding = state.decoder.encoding;
  const text = state.buffer.map((chunk) => (typeof chunk === "string" ? chunk : state.decoder.write(chunk))).join("");
  state.buffer = text ? [text] : [];
  state.length = text.length;
  return this;
};

Readable.prototype.pipe = function pipe(destination, options) {
  const source = this;
  const state = this._readableState;
  const onData = (chunk) => {
    if (destination.write(chunk) === false) source.pause();
  };
  const onDrain = () => source.resume();
  const onEnd = () => destination.end();
  const piped = { destination, onData, onDrain, onEnd };
  state.pipes.push(piped);
  source.on("data", onData);
  destination.on("drain", onDrain);
  if (!options || options.end !== false) source.once("end", onEnd);
  destination.emit("pipe", source);
  return destination;
};
Readable.prototype.unpipe = function unpipe(destination) {
  const state = this._readableState;
  for (const piped of state.pipes.filter((p) => destination === undefined || p.destination === destination)) {
    this.removeListener("data", piped.onData);
    this.removeListener("end", piped.onEnd);
    piped.destination.removeListener("drain", piped.onDrain);
    piped.destination.emit("unpipe", this);
  }
  state.pipes = destination === undefined ? [] : state.pipes.filter((p) => p.destination !== destination);
  if (state.pipes.length === 0) this.pause();
  return this;
};

Readable.prototype[Symbol.asyncIterator] = async function* iterate() {
  const queue = [];
  let ended = false;
  let failure = null;
  let wake = null;
  const poke = () => {
    if (wake !== null) wake();
  };
  this.on("data", (chunk) => { queue.push(chunk); poke(); });
  this.on("end", () => { ended = true; poke(); });
  this.on("close", () => { ended = true; poke(); });
  this.on("error", (error) => { failure = error; poke(); });
  while (true) {
    if (queue.length > 0) {
      yield queue.shift();
    } else if (failure !== null) {
      throw failure;
    } else if (ended) {
      return;
    } else {
      await new Promise((resolve) => { wake = resolve; });
      wake = null;
    }
  }
};

for (const [name, read] of Object.entries({
  readableEnded: (s) => s.endEmitted,
  readableFlowing: (s) => s.flowing,
  readableLength: (s) => s.length,
  readableObjectMode: (s) => s.objectMode,
  readableHighWaterMark: (s) => s.highWaterMark,
  readableEncoding: (s) => s.encoding,
  destroyed: (s) => s.destroyed,
})) {
  Object.defineProperty(Readable.prototype, name, { get() { return read(this._readableState); }, configurable: true });
}
// a library may set readable itself, as Node allows
Object.defineProperty(Readable.prototype, "readable", {
  get() {
    const s = this._readableState;
    return this._readableOverride ?? (!s.destroyed && !s.errored && !s.endEmitted);
  },
  set(value) { this._readableOverride = value; },
  configurable: true,
});

Readable.from = function from(iterable, options) {
  if (typeof iterable === "string" || iterable instanceof Uint8Array) {
    return new Readable({ objectMode: true, ...options, read() { this.push(iterable); this.push(null); } });
  }
  const iterator = typeof iterable[Symbol.asyncIterator] === "function" ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
  let running = false;
  return new Readable({
    objectMode: true,
    highWaterMark: 1,
    ...options,
    read() {
      if (running) return;
      running = true;
      (async () => {
        try {
          while (true) {
            const { value, done } = await iterator.next();
            if (done) {
              this.push(null);
              return;
            }
            if (!this.push(await value)) return;
          }
        } catch (error) {
          this.destroy(error);
        } finally {
          running = false;
        }
      })();
    },
  });
};

// ---------------------------------------------------------------- Writable
function WritableState(options, duplex) {
  this.objectMode = !!(options.objectMode || (duplex && options.writableObjectMode));
  this.highWaterMark = options.writableHighWaterMark ?? options.highWaterMark ?? (this.objectMode ? 16 : 16384);
  this.decodeStrings = options.decodeStrings !== false;
  this.defaultEncoding = options.defaultEncoding || "utf8";
  this.length = 0;
  this.writing = false;
  this.buffered = [];
  this.corked = 0;
  this.needDrain = false;
  this.ending = false;
  this.ended = false;
  this.finalCalled = false;
  this.finalDone = false;
  this.finished = false;
  this.destroyed = false;
  this.errored = null;
  this.errorEmitted = false;
  this.autoDestroy = options.autoDestroy !== false;
  this.emitClose = options.emitClose !== false;
}

export function Writable(options) {
  const duplex = this instanceof Duplex;
  if (!duplex && !Function.prototype[Symbol.hasInstance].call(Writable, this)) return new Writable(options);
  options = options || {};
  this._writableState = new WritableState(options, duplex);
  if (typeof options.write === "function") this._write = options.write;
  if (typeof options.final === "function") this._final = options.final;
  if (typeof options.destroy === "function") this._destroy = options.destroy;
  if (!duplex) Stream.call(this, options);
}
inherits(Writable, Stream);
// a Duplex is a Writable too, though its prototype chain runs through Readable
Object.defineProperty(Writable, Symbol.hasInstance, {
  value(object) {
    if (Function.prototype[Symbol.hasInstance].call(this, object)) return true;
    return this === Writable && object != null && object._writableState instanceof WritableState;
  },
});

Writable.prototype._write = function _write() {
  throw nodeError("ERR_METHOD_NOT_IMPLEMENTED", "The _write() method is not implemented");
};
Writable.prototype._destroy = function _destroy(error, callback) {
  callback(error);
};
Writable.prototype.destroy = destroy;

Writable.prototype.write = function write(chunk, encoding, callback) {
  if (typeof encoding === "function") [callback, encoding] = [encoding, null];
  const state = this._writableState;
  encoding = encoding || state.defaultEncoding;
  if (chunk === null) throw nodeError("ERR_STREAM_NULL_VALUES", "May not write null values to stream", TypeError);
  if (!state.objectMode) {
    if (typeof chunk === "string") {
      if (state.decodeStrings) [chunk, encoding] = [Buffer.from(chunk, encoding), "buffer"];
    } else {
      const bytes = toBuffer(chunk);
      if (bytes === null) {
        throw nodeError("ERR_INVALID_ARG_TYPE", 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array.',
          TypeError);
      }
      [chunk, encoding] = [bytes, "buffer"];
    }
  }
  const refused = state.ending ? nodeError("ERR_STREAM_WRITE_AFTER_END", "write after end")
    : state.destroyed ? nodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed") : null;
  if (refused !== null) {
    if (typeof callback === "function") nextTick(callback, refused);
    destroyFailed(this, refused);
    return false;
  }
  state.length += state.objectMode ? 1 : chunk.length;
  const below = state.length < state.highWaterMark;
  if (!below) state.needDrain = true;
  const request = { chunk, encoding, callback };
  if (state.writing || state.corked > 0 || state.errored) state.buffered.push(request);
  else startWrite(this, state, request);
  return below && !state.errored && !state.destroyed;
};

function startWrite(stream, state, request) {
  state.writing = true;
  const size = state.objectMode ? 1 : request.chunk.length;
  let called = false;
  stream._write(request.chunk, request.encoding, (error) => {
    if (called) return;
    called = true;
    state.writing = false;
    state.length -= size;
    if (error) {
      state.errored = error;
      if (typeof request.callback === "function") nextTick(request.callback, error);
      destroyFailed(stream, error);
      return;
    }
    nextTick(() => {
      if (typeof request.callback === "function") request.callback(null);
      if (state.needDrain && state.length === 0 && !state.ending && !state.destroyed) {
        state.needDrain = false;
        stream.emit("drain");
      }
    });
    if (state.buffered.length > 0 && state.corked === 0 && !state.destroyed) startWrite(stream, state, state.buffered.shift());
    else finishMaybe(stream, state);
  });
}

function finishMaybe(stream, state) {
  if (!state.ending || state.writing || state.buffered.length > 0 || state.length > 0 || state.destroyed || state.errored) return;
  if (!state.finalCalled) {
    state.finalCalled = true;
    if (typeof stream._final === "function") {
      nextTick(() => {
        stream._final((error) => {
          if (error) {
            state.errored = error;
            destroyFailed(stream, error);
            return;
          }
          state.finalDone = true;
          stream.emit("prefinish");
          finishMaybe(stream, state);
        });
      });
      return;
    }
    state.finalDone = true;
    stream.emit("prefinish");
  }
  if (!state.finalDone || state.finished) return;
  state.finished = true;
  nextTick(() => {
    stream.emit("finish");
    const r = stream._readableState;
    if (state.autoDestroy && (r === undefined || (r.autoDestroy && r.endEmitted))) stream.destroy();
  });
}

Writable.prototype.end = function end(chunk, encoding, callback) {
  if (typeof chunk === "function") [callback, chunk, encoding] = [chunk, null, null];
  else if (typeof encoding === "function") [callback, encoding] = [encoding, null];
  const state = this._writableState;
  if (chunk !== null && chunk !== undefined) this.write(chunk, encoding);
  if (state.corked > 0) {
    state.corked = 1;
    this.uncork();
  }
  if (!state.ending) {
    state.ending = true;
    finishMaybe(this, state);
    state.ended = true;
  }
  if (typeof callback === "function") {
    if (state.finished) nextTick(callback);
    else this.once("finish", () => callback());
  }
  return this;
};
Writable.prototype.cork = function cork() {
  this._writableState.corked++;
};
Writable.prototype.uncork = function uncork() {
  const state = this._writableState;
  if (state.corked > 0 && --state.corked === 0 && !state.writing && state.buffered.length > 0) {
    startWrite(this, state, state.buffered.shift());
  }
};
Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
  this._writableState.defaultEncoding = String(encoding).toLowerCase();
  return this;
};

for (const [name, read] of Object.entries({
  writable: (s) => !s.destroyed && !s.errored && !s.ending,
  writableEnded: (s) => s.ending,
  writableFinished: (s) => s.finished,
  writableLength: (s) => s.length,
  writableObjectMode: (s) => s.objectMode,
  writableHighWaterMark: (s) => s.highWaterMark,
  writableCorked: (s) => s.corked,
  writableNeedDrain: (s) => s.needDrain,
})) {
  Object.defineProperty(Writable.prototype, name, { get() { return read(this._writableState); }, configurable: true });
}
Object.defineProperty(Writable.prototype, "destroyed", { get() { return this._writableState.destroyed; }, configurable: true });

// ---------------------------------------------------------------- Duplex, Transform, PassThrough
export function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  Readable.call(this, options);
  Writable.call(this, options);
  this.allowHalfOpen = !options || options.allowHalfOpen !== false;
}
inherits(Duplex, Readable);
for (const name of Object.getOwnPropertyNames(Writable.prototype)) {
  if (name === "constructor" || name === "destroyed" || Object.prototype.hasOwnProperty.call(Duplex.prototype, name)) continue;
  Object.defineProperty(Duplex.prototype, name, Object.getOwnPropertyDescriptor(Writable.prototype, name));
}
Duplex.prototype._write = Writable.prototype._write;

export function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  Duplex.call(this, options);
  if (options && typeof options.transform === "function") this._transform = options.transform;
  if (options && typeof options.flush === "function") this._flush = options.flush;
}
inherits(Transform, Duplex);

Transform.prototype._transform = function _transform() {
  throw nodeError("ERR_METHOD_NOT_IMPLEMENTED", "The _transform() method is not implemented");
};
Transform.prototype._write = function _write(chunk, encoding, callback) {
  this._transform(chunk, encoding, (error, data) => {
    if (error) {
      callback(error);
      return;
    }
    if (data !== null && data !== undefined) this.push(data);
    callback();
  });
};
// the writable side's end flushes, then ends the readable side
Transform.prototype._final = function _final(callback) {
  const done = (error, data) => {
    if (error) {
      callback(error);
      return;
    }
    if (data !== null && data !== undefined) this.push(data);
    this.push(null);
    callback();
  };
  if (typeof this._flush === "function" && !this.destroyed) this._flush(done);
  else done();
};

export function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
inherits(PassThrough, Transform);
PassThrough.prototype._transform = function _transform(chunk, encoding, callback) {
  callback(null, chunk);
};

// ---------------------------------------------------------------- finished, pipeline
export function finished(stream, options, callback) {
  if (typeof options === "function") [callback, options] = [options, {}];
  options = options || {};
  const readable = options.readable !== false && stream._readableState !== undefined;
  const writable = options.writable !== false && stream._writableState !== undefined;
  let ended = !readable || stream._readableState.endEmitted;
  let finishedWriting = !writable || stream._writableState.finished;
  let done = false;
  const complete = (error) => {
    if (done) return;
    done = true;
    cleanup();
    callback.call(stream, error);
  };
  const onEnd = () => { ended = true; if (finishedWriting) complete(); };
  const onFinish = () => { finishedWriting = true; if (ended) complete(); };
  const onError = (error) => complete(error);
  const onClose = () => {
    if (!ended || !finishedWriting) complete(nodeError("ERR_STREAM_PREMATURE_CLOSE", "Premature close"));
  };
  stream.on("end", onEnd);
  stream.on("finish", onFinish);
  stream.on("error", onError);
  stream.on("close", onClose);
  function cleanup() {
    stream.removeListener("end", onEnd);
    stream.removeListener("finish", onFinish);
    stream.removeListener("error", onError);
    stream.removeListener("close", onClose);
  }
  if (ended && finishedWriting) nextTick(complete);
  return cleanup;
}

export function pipeline(...streams) {
  const callback = typeof streams[streams.length - 1] === "function" ? streams.pop() : null;
  if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
  if (streams.length < 2) throw nodeError("ERR_MISSING_ARGS", 'The "streams" argument must be specified', TypeError);
  let done = false;
  const complete = (error) => {
    if (done) return;
    done = true;
    if (error) for (const stream of streams) if (typeof stream.destroy === "function") stream.destroy();
    if (callback !== null) callback(error);
  };
  for (let i = 0; i + 1 < streams.length; i++) streams[i].pipe(streams[i + 1]);
  streams.forEach((stream, i) => {
    if (i < streams.length - 1) stream.on("error", complete);
  });
  const last = streams[streams.length - 1];
  finished(last, (error) => complete(error));
  return last;
}

export const promises = {
  pipeline: (...streams) => new Promise((resolve, reject) => pipeline(...streams, (error) => (error ? reject(error) : resolve()))),
  finished: (stream, options) => new Promise((resolve, reject) => finished(stream, options, (error) => (error ? reject(error) : resolve()))),
};

Object.assign(Stream, { Stream, Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, promises });
export default Stream;
