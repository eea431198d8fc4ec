#!/usr/bin/env bash
# Fetches the charting libraries of `spotd report` from the npm registry and compares them with
# the vendored copies in daemon/report/vendor (exit 1 on a difference), or replaces them with
# --update. Needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=daemon/report/vendor
packages=("vega 6.4.0 build/vega.min.js" "vega-lite 6.5.0 build/vega-lite.min.js")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for p in "${packages[@]}"; do
    read -r name version file <<<"$p"
    (cd "$work" && npm pack --silent "$name@$version" >/dev/null && mkdir "$name" &&
        tar xzf "$name-$version.tgz" -C "$name")
    fetched="$work/$name/package/$file"
    ours="$vendor/$name-$version.min.js"
    if [[ ${1:-} == --update ]]; then
        cp "$fetched" "$ours"
        cp "$work/$name/package/LICENSE" "$vendor/$name.LICENSE"
        echo "updated $ours $(sha256sum "$ours" | cut -d' ' -f1)"
    elif cmp -s "$fetched" "$ours"; then
        echo "$ours: same as $name@$version on the registry"
    else
        echo "$ours: differs from $name@$version on the registry" >&2
        status=1
    fi
done
exit $status
