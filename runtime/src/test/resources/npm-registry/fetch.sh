#!/usr/bin/env bash
# Regenerates, with network access, what this directory commits for the package tests' own registry
# (runtime/src/test/.../packages/TestRegistry.java): the packuments and tarballs.json. Tarballs are
# not committed: TestTarballs fetches them with `npm pack name@version` into runtime/target/npm-cache
# and checks each against the sha512 integrity listed in tarballs.json. Run from this directory:
#   bash fetch.sh              # every package below
#   bash fetch.sh split2 jws   # only these (their packuments and rows; the others are kept as they are)
# Source: the public npm registry (https://registry.npmjs.org), read with npm view. Each packument
# holds only the versions listed below (each as the registry publishes that version's manifest), so
# the tests resolve ranges against several real versions while only the tarballs they need are fetched.
set -euo pipefail
REGISTRY=https://registry.npmjs.org
# name | versions kept in the packument | versions whose tarball the tests serve
PACKAGES=(
  "preact|10.24.3 10.29.6 11.2.0|10.29.6"
  "preact-render-to-string|6.5.12 6.5.13|6.5.13"
  "debug|4.4.1 4.4.3|4.4.3"
  "ms|2.1.2 2.1.3|2.1.2 2.1.3"
  "nanoid|5.1.12|5.1.12"
  "hono|4.13.23|4.13.23"
  "zod|4.6.7|4.6.7"
  "uuid|14.0.3|14.0.3"
  "date-fns|4.4.0|4.4.0"
  "lodash-es|4.18.1|4.18.1"
  "marked|18.3.0|18.3.0"
  "jose|6.2.19|6.2.19"
  "itty-router|5.0.24|5.0.24"
  "ulid|3.0.2|3.0.2"
  "cookie-signature|1.2.2|1.2.2"
  "jws|4.0.0|4.0.0"
  "jwa|2.0.0|2.0.0"
  "safe-buffer|5.2.1|5.2.1"
  "ecdsa-sig-formatter|1.0.11|1.0.11"
  "buffer-equal-constant-time|1.0.1|1.0.1"
  "split2|4.2.0|4.2.0"
  "md5-hex|3.0.1|3.0.1"
  "blueimp-md5|2.19.0|2.19.0"
  "uid-safe|2.1.5|2.1.5"
  "random-bytes|1.0.0|1.0.0"
)
mkdir -p packuments
only=$(printf '%s\n' "$@" | jq -R 'select(. != "")' | jq -s .)
if [ "$#" -gt 0 ]; then
  manifest=$(jq --argjson only "$only" '[.[] | select(.name as $n | $only | index($n) | not)]' tarballs.json)
else
  manifest='[]'
fi
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name keep tarballs <<<"$entry"
  if [ "$#" -gt 0 ] && ! jq -e --arg n "$name" 'index($n)' <<<"$only" >/dev/null; then continue; fi
  file="packuments/$(echo "$name" | sed 's#/#%2f#').json"
  versions='{}'
  for version in $keep; do
    doc=$(npm view "$name@$version" --registry "$REGISTRY" --json \
      | jq 'del(.time, .versions, .["dist-tags"], .users, .readme, .maintainers, ._cached, ._contentLength)')
    versions=$(jq --arg v "$version" --argjson doc "$doc" '. + {($v): $doc}' <<<"$versions")
  done
  latest=$(printf '%s\n' $keep | tail -n 1)
  jq -n --sort-keys --arg name "$name" --arg latest "$latest" --argjson versions "$versions" \
    '{_id: $name, name: $name, "dist-tags": {latest: $latest}, versions: $versions}' > "$file"
  for version in $tarballs; do
    # name, version, published sha512 integrity, licence and tarball URL, as the registry states them
    row=$(npm view "$name@$version" --registry "$REGISTRY" --json name version dist.integrity license dist.tarball \
      | jq '{name, version, integrity: .["dist.integrity"], license, source: .["dist.tarball"]}')
    manifest=$(jq --argjson row "$row" '. + [$row]' <<<"$manifest")
  done
done
jq . <<<"$manifest" > tarballs.json
du -sh .
