// node:assert for the Babel bundle: Babel only calls assert(condition, message) and assert.fail(message).
export default function assert(condition, message) {
  if (!condition) throw new Error(message || "Babel internal assertion failed");
}
assert.fail = (message) => {
  throw new Error(message);
};
