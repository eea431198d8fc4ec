#!/usr/bin/env bash
# Starts or stops a real Spark History Server (pyspark 3.5.9, from PyPI) for the integration
# tests. The virtualenv is cached under ${SPOT_CACHE:-~/.cache/spot} and pip reuses its own cache,
# so only the first run on a machine downloads pyspark.
#   shs.sh start LOG_DIR STATE_FILE    writes "port=<p> pid=<pid>" to STATE_FILE once it answers
#     SHS_RETAINED_APPS: spark.history.retainedApplications (default 1000, so that concurrent
#     tests never meet a UI-cache eviction; the benchmark uses Spark's own default, 50)
#   shs.sh stop STATE_FILE
#   shs.sh runs OUT_DIR                runs tests/integration/spark-runs.py (real Spark jobs) into OUT_DIR
set -euo pipefail
cache=${SPOT_CACHE:-$HOME/.cache/spot}
venv=$cache/pyspark-3.5.9

install() {
    if [[ -x $venv/bin/python ]] && "$venv/bin/python" -c "import pyspark" 2>/dev/null; then
        return
    fi
    mkdir -p "$cache"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyspark==3.5.9
}

source "$(dirname "$(realpath "$0")")/common.sh"

case ${1:-} in
install)  # the pyspark virtualenv only (yarn.sh submits with it)
    install
    ;;
start)
    logs=$(realpath "${2:?log dir}") state=${3:?state file}
    install
    sh=$("$venv/bin/python" -c "import pyspark, os; print(os.path.dirname(pyspark.__file__))")
    port=$(free_port)
    jh=$(java17)
    out=$(dirname "$state")/shs.log
    "$jh/bin/java" -cp "$sh/jars/*" -Xmx1g \
        -Dspark.history.fs.logDirectory="file:$logs" \
        -Dspark.history.fs.update.interval=1s \
        -Dspark.history.retainedApplications="${SHS_RETAINED_APPS:-1000}" \
        -Dspark.history.ui.port="$port" \
        org.apache.spark.deploy.history.HistoryServer >"$out" 2>&1 &
    pid=$!
    echo "port=$port pid=$pid" >"$state"
    for _ in $(seq 1 120); do
        if curl -sf "http://127.0.0.1:$port/api/v1/applications" >/dev/null; then
            echo "History Server 3.5.9 on 127.0.0.1:$port (pid $pid) over $logs"
            exit 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "History Server died:"; tail -20 "$out"; exit 1; }
        sleep 1
    done
    echo "History Server did not answer within 120 s:"; tail -20 "$out"; kill "$pid"; exit 1
    ;;
runs)
    out=${2:?out dir}
    install
    JAVA_HOME=$(java17) "$venv/bin/python" "$(dirname "$0")/spark-runs.py" "$out"
    ;;
stop)
    state=${2:?state file}
    [[ -f $state ]] || exit 0
    pid=$(sed -n 's/.*pid=\([0-9]*\).*/\1/p' "$state")
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
    rm -f "$state"
    ;;
*)
    echo "usage: shs.sh start LOG_DIR STATE_FILE | stop STATE_FILE | runs OUT_DIR" >&2; exit 2 ;;
esac
