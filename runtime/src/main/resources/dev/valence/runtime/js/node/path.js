// node:path (POSIX) for packages: vals have no file system, but libraries join and split paths as text.
export const sep = "/";
export const delimiter = ":";

export function normalize(path) {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const trailing = path.endsWith("/");
  const parts = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
    } else parts.push(part);
  }
  let result = (absolute ? "/" : "") + parts.join("/");
  if (result === "") result = absolute ? "/" : ".";
  return trailing && result !== "/" ? result + "/" : result;
}

export function join(...parts) {
  const joined = parts.filter((p) => p !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

export function resolve(...parts) {
  let resolved = "";
  for (let i = parts.length - 1; i >= 0 && !resolved.startsWith("/"); i--) {
    if (parts[i]) resolved = parts[i] + (resolved ? "/" + resolved : "");
  }
  const result = normalize("/" + resolved);
  return result.length > 1 && result.endsWith("/") ? result.slice(0, -1) : result;
}

export function isAbsolute(path) { return path.startsWith("/"); }

export function dirname(path) {
  if (path === "") return ".";
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const at = trimmed.lastIndexOf("/");
  if (at < 0) return ".";
  return at === 0 ? "/" : trimmed.slice(0, at);
}

export function basename(path, suffix) {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  let base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  if (suffix && base.endsWith(suffix) && base !== suffix) base = base.slice(0, -suffix.length);
  return base;
}

export function extname(path) {
  const base = basename(path);
  const at = base.lastIndexOf(".");
  return at <= 0 ? "" : base.slice(at);
}

export function relative(from, to) {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

export function parse(path) {
  const root = path.startsWith("/") ? "/" : "";
  const base = basename(path);
  const ext = extname(path);
  return { root, dir: dirname(path), base, ext, name: ext ? base.slice(0, -ext.length) : base };
}

export function format({ root = "", dir, base, name = "", ext = "" }) {
  const file = base ?? name + ext;
  return dir ? (dir === root ? dir + file : dir + "/" + file) : root + file;
}

const path = { sep, delimiter, normalize, join, resolve, isAbsolute, dirname, basename, extname, relative, parse, format };
path.posix = path;
export const posix = path;
export default path;
