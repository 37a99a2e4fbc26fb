#!/usr/bin/env bash
# Fetches, once, the real packuments and tarballs the package tests serve from their own registry
# (runtime/src/test/.../packages/TestRegistry.java). Run from this directory with network access:
#   bash fetch.sh
# Source: the public npm registry (https://registry.npmjs.org). Each packument is the abbreviated
# ("corgi", Accept: application/vnd.npm.install-v1+json) document trimmed to the versions listed
# below, so the tests resolve ranges against several real versions while only the tarballs they
# need are stored here. Tarballs are the registry's, byte for byte (their dist.integrity holds).
set -euo pipefail
REGISTRY=https://registry.npmjs.org
# name | versions kept in the packument | versions whose tarball is stored
PACKAGES=(
  "preact|10.24.3 10.29.6 11.2.0|10.29.6"
  "preact-render-to-string|6.5.12 6.5.13|6.5.13"
  "debug|4.4.1 4.4.3|4.4.3"
  "ms|2.1.2 2.1.3|2.1.2 2.1.3"
  "nanoid|5.1.12|5.1.12"
)
mkdir -p packuments tarballs
for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name keep tarballs <<<"$entry"
  file="packuments/$(echo "$name" | sed 's#/#%2f#').json"
  keepJson=$(printf '%s\n' $keep | jq -R . | jq -s .)
  curl -fsS -H 'Accept: application/vnd.npm.install-v1+json' "$REGISTRY/$name" \
    | jq --argjson keep "$keepJson" --sort-keys '
        .versions |= with_entries(select(.key as $v | $keep | index($v)))
        | .["dist-tags"] = {latest: ($keep | last)}' > "$file"
  for version in $tarballs; do
    base=${name##*/}
    curl -fsS -o "tarballs/$base-$version.tgz" "$REGISTRY/$name/-/$base-$version.tgz"
  done
done
du -sh .
