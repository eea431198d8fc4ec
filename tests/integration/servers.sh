#!/usr/bin/env bash
# Starts or stops the servers of the integration tests' "servers" fixture: the History Server over
# the prepared fixture logs, and one search node per product named (search.sh), each in
# SEARCH_DIR/<product>. A start first stops and removes what an earlier run left.
#   servers.sh start FIXTURES SHS_DIR SEARCH_DIR PRODUCT...    (FIXTURES: tests/fixtures)
#   servers.sh stop SHS_DIR SEARCH_DIR PRODUCT...
set -euo pipefail
here=$(dirname "$(realpath "$0")")

stop_nodes() { # SEARCH_DIR PRODUCT...
    local dir=$1 p
    shift
    for p in "$@"; do "$here/search.sh" stop "$dir/$p" || true; done
}

case ${1:-} in
start)
    fixtures=$2 shs=$3 search=$4
    shift 4
    mkdir -p "$shs"
    "$here/prepare-logs.sh" "$fixtures" "$shs/logs"
    "$here/shs.sh" start "$shs/logs" "$shs/state"
    stop_nodes "$search" "$@"
    rm -rf "$search"
    for p in "$@"; do "$here/search.sh" start "$p" "$search/$p"; done
    ;;
stop)
    shs=$2 search=$3
    shift 3
    "$here/shs.sh" stop "$shs/state" || true
    stop_nodes "$search" "$@"
    ;;
*)
    echo "usage: servers.sh start FIXTURES SHS_DIR SEARCH_DIR PRODUCT... | stop SHS_DIR SEARCH_DIR PRODUCT..." >&2
    exit 2 ;;
esac
