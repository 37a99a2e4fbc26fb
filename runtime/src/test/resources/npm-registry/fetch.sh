#!/usr/bin/env bash
# Regenerates, with network access, what this directory commits for the package tests' own registry
# (runtime/src/test/.../packages/TestRegistry.java): the packuments and tarballs.json. Tarballs are
# not committed: TestTarballs fetches them with `npm pack name@version` into runtime/target/npm-cache
# and checks each against the sha512 integrity listed in tarballs.json. Run from this directory:
#   bash fetch.sh
# Source: the public npm registry (https://registry.npmjs.org). Each packument is the abbreviated
# ("corgi", Accept: application/vnd.npm.install-v1+json) document trimmed to the versions listed
# below, so the tests resolve ranges against several real versions while only the tarballs they
# need are fetched.
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
)
mkdir -p packuments
manifest='[]'
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name keep tarballs <<<"$entry"
  file="packuments/$(echo "$name" | sed 's#/#%2f#').json"
  keepJson=$(printf '%s\n' $keep | jq -R . | jq -s .)
  curl -fsS -H 'Accept: application/vnd.npm.install-v1+json' "$REGISTRY/$name" \
    | jq --argjson keep "$keepJson" --sort-keys '
        .versions |= with_entries(select(.key as $v | $keep | index($v)))
        | .["dist-tags"] = {latest: ($keep | last)}' > "$file"
  for version in $tarballs; do
    # name, version, published sha512 integrity, licence and tarball URL, as the registry states them
    row=$(npm view "$name@$version" --registry "$REGISTRY" --json name version dist.integrity license dist.tarball \
      | jq '{name, version, integrity: .["dist.integrity"], license, source: .["dist.tarball"]}')
    manifest=$(jq --argjson row "$row" '. + [$row]' <<<"$manifest")
  done
done
jq . <<<"$manifest" > tarballs.json
du -sh .
