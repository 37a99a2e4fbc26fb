// node:url for packages: the WHATWG URL every val has, and Node's file-URL helpers.
const URLClass = globalThis.URL;
const URLSearchParamsClass = globalThis.URLSearchParams;
export { URLClass as URL, URLSearchParamsClass as URLSearchParams };

export function fileURLToPath(url) {
  const parsed = typeof url === "string" ? new URLClass(url) : url;
  if (parsed.protocol !== "file:") throw new TypeError("The URL must be of scheme file");
  return decodeURIComponent(parsed.pathname);
}

export function pathToFileURL(path) {
  return new URLClass("file://" + encodeURI(path).replace(/\?/g, "%3F").replace(/#/g, "%23"));
}

export default { URL: URLClass, URLSearchParams: URLSearchParamsClass, fileURLToPath, pathToFileURL };
