// The CommonJS runtime of a val's packages: each CommonJS file's module registers its factory here
// (define), and the file's ES module facade runs it on first use (load), with Node's require, module,
// exports, __filename and __dirname. A factory runs once per context; a require cycle sees the partly
// filled exports, as in Node.
import process from "/node/process.mjs";

const factories = new Map();
const modules = new Map();

export function define(path, dependencies, factory) {
  if (!factories.has(path)) factories.set(path, { dependencies, factory });
}

export function load(path) {
  const loaded = modules.get(path);
  if (loaded !== undefined) return loaded.exports;
  const entry = factories.get(path);
  if (entry === undefined) throw new Error(`Cannot find module ${path}: it was not loaded with the val's packages`);
  const module = { exports: {}, id: path, filename: path, loaded: false, children: [], paths: [] };
  modules.set(path, module);
  function require(specifier) {
    const dependency = Object.prototype.hasOwnProperty.call(entry.dependencies, specifier) ? entry.dependencies[specifier] : undefined;
    if (dependency === undefined) {
      const error = new Error(`Cannot find module '${specifier}' (required by ${path.slice(5)}): it is neither a file nor a`
        + " dependency of the package in the val's lock, nor a node: built-in vals offer");
      error.code = "MODULE_NOT_FOUND";
      throw error;
    }
    if (typeof dependency === "string") return load(dependency);
    return dependency[0] === 1 ? dependency[1].default : dependency[1];
  }
  require.cache = Object.create(null);
  require.resolve = (specifier) => specifier;
  module.require = require;
  try {
    entry.factory.call(module.exports, module.exports, require, module, path, path.slice(0, path.lastIndexOf("/")), globalThis, process);
  } catch (error) {
    modules.delete(path);
    throw error;
  }
  module.loaded = true;
  return module.exports;
}
