// Lists what a program can use: every global (own or inherited by the global object); for each global object or function the properties it has, own or
// inherited (up to Object.prototype or Function.prototype); for constructors (capitalised functions) the members
// their instances get from the prototype chain. Sorted strings such as "URL", "URL.canParse", "URL.prototype.href".
// How a runtime arranges its classes (a method on a parent prototype or on the object) does not count; what a val
// can call does. Run as a script val on Valence and as a script under Deno; the test diffs the two lists.
export default function surface() {
  const names = new Set();
  const add = (prefix, target, stopAt) => {
    for (let o = target; o && o !== stopAt && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Object.getOwnPropertyNames(o)) names.add(`${prefix}.${key}`);
    }
  };
  const globals = new Set();
  // the global object's own names and those of its prototype chain (Deno's Window.prototype, EventTarget.prototype)
  for (let o = globalThis; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== "constructor") globals.add(name);
  }
  for (const name of globals) {
    names.add(name);
    let value;
    try {
      value = globalThis[name];
    } catch {
      continue; // an accessor that throws is still listed by name
    }
    if (value === globalThis || value === null || (typeof value !== "object" && typeof value !== "function")) continue;
    add(name, value, Function.prototype);
    if (typeof value === "function" && /^[A-Z]/.test(name) && value.prototype && typeof value.prototype === "object") {
      add(`${name}.prototype`, value.prototype, Object.prototype);
    }
  }
  return [...names].sort();
}
