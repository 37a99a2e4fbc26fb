// node:stream for packages: Node's own stream code, as the `readable-stream` package ships it. The default export is
// Node's legacy Stream with Readable, Writable, ... as its properties, as require("stream") gives in Node.
import Stream from "readable-stream/lib/stream.js";

export { Stream };
export const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal, compose, destroy,
  isDisturbed, isErrored, isReadable, promises } = Stream;
export default Stream;
