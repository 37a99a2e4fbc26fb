// node:process for packages: what libraries read to learn where they run. Vals have no process to
// control, so exit and kill are absent; env is the val's process.env (its owner's environment variables).
// browser is true: a val has the web platform's APIs and none of Node's I/O, so the browser build fits.
const env = globalThis.process && globalThis.process.env ? globalThis.process.env : {};
const started = Date.now();
const process = {
  env,
  argv: [],
  platform: "linux",
  version: "v22.0.0",
  versions: {},
  browser: true,
  cwd: () => "/",
  nextTick: (callback, ...args) => queueMicrotask(() => callback(...args)),
  hrtime: Object.assign((previous) => {
    const ns = BigInt(Math.round(performance.now() * 1e6));
    const now = [Number(ns / 1000000000n), Number(ns % 1000000000n)];
    if (!previous) return now;
    let seconds = now[0] - previous[0];
    let nanos = now[1] - previous[1];
    if (nanos < 0) { seconds -= 1; nanos += 1e9; }
    return [seconds, nanos];
  }, { bigint: () => BigInt(Math.round(performance.now() * 1e6)) }),
  uptime: () => (Date.now() - started) / 1000,
  emitWarning: (warning) => console.warn(String(warning)),
  on() { return process; },
  once() { return process; },
  off() { return process; },
  removeListener() { return process; },
  listeners: () => [],
  emit: () => false,
};
export default process;
export const { nextTick, cwd, hrtime, uptime, emitWarning, platform, version, versions, argv } = process;
export { env };
