#!/usr/bin/env bash
# Called by the Maven build (generate-resources): installs the pinned npm packages when needed and
# writes the URL, web (streams), URLPattern and node: built-in (node/*.js) bundles for GraalJS into the directory given as $1.
set -euo pipefail
cd "$(dirname "$0")"
out="$1"
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "valence: building the runtime needs Node.js 20.19+ with npm (to bundle the WHATWG URL library); install them (apt-get install nodejs npm)." >&2
  exit 1
}
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ -f "$out/url.js" ] && [ -f "$out/web.js" ] && [ -f "$out/urlpattern.js" ] && [ -f "$out/node/stream.js" ] \
  && [ -z "$(find build.mjs ./*-entry.js shims node package-lock.json -newer "$out/url.js" -print -quit)" ]; then
  exit 0 # up to date
fi
node build.mjs "$out"
