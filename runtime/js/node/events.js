// node:events for packages: EventEmitter from the `events` package (Node's own, for other platforms).
import EventEmitter from "events";

export { EventEmitter };
export const once = EventEmitter.once;
export function listenerCount(emitter, name) {
  return emitter.listenerCount(name);
}
// events 3.3 predates Node's errorMonitor symbol: imports of it still link, and read undefined.
export const errorMonitor = EventEmitter.errorMonitor;
export default EventEmitter;
