#!/usr/bin/env bash
# Makes docs/images/report.png, the screenshot of `spotd report` the README shows: the embedded
# default's corpus pipeline (deploy/examples/local.yaml) crawled into a scratch state, its
# recurring-orders-etl job reported, the page drawn by headless Chromium (Debian's package).
#   tools/report-screenshot.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/spot.yaml" <<YAML
state_dir: $work/state
admin_listen: ""
pipelines:
  corpus:
    source: {plugin: eventlog, dir: $PWD/tests/fixtures/recurring-corpus/events}
    aggregators: [{plugin: spot-aggregate}, {plugin: analyze}]
    sinks: [{plugin: file, dir: $work/out}]
    advisors: [{plugin: regression}]
YAML
"$build/bin/spotd" --once --config "$work/spot.yaml" 2>/dev/null
"$build/bin/spotd" report --config "$work/spot.yaml" --job recurring-orders-etl >"$work/job.html"
mkdir -p docs/images
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --virtual-time-budget=30000 --hide-scrollbars \
    --window-size=1320,1180 --screenshot="$PWD/docs/images/report.png" "file://$work/job.html" 2>/dev/null
echo "docs/images/report.png written"
