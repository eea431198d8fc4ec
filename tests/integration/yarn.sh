#!/usr/bin/env bash
# Starts or stops a real YARN ResourceManager and NodeManager (Hadoop 3.3.4, the Hadoop client of
# pyspark 3.5.9) for the integration tests, each in its own JVM on free loopback ports, and runs
# real Spark applications on them with pyspark's own spark-submit. The jars come from Maven
# Central (yarn/pom.xml, fetched once into ${SPOT_CACHE:-~/.cache/spot}/yarn-3.3.4; Maven reuses
# ~/.m2).
#   yarn.sh start WORK_DIR      writes "port=<rm web port> pid=<rm pid> nm=<nm pid>" to WORK_DIR/state
#   yarn.sh spark WORK_DIR EVENT_LOG_DIR   two Spark applications on YARN (queue etl): one succeeds,
#                               one fails; their event logs go to EVENT_LOG_DIR
#   yarn.sh stop WORK_DIR
set -euo pipefail
here=$(dirname "$(realpath "$0")")
cache=${SPOT_CACHE:-$HOME/.cache/spot}
jars=$cache/yarn-3.3.4
source "$here/common.sh"

fetch() {
    if [[ -f $jars/lib/.complete ]]; then
        return
    fi
    mkdir -p "$jars"
    cp "$here/yarn/pom.xml" "$jars/pom.xml"
    (cd "$jars" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime >&2)
    touch "$jars/lib/.complete"
}

site() { # the configuration both daemons read
    local conf=$1 work=$2
    mkdir -p "$conf"
    cat >"$conf/yarn-site.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>yarn.resourcemanager.hostname</name><value>127.0.0.1</value></property>
  <property><name>yarn.resourcemanager.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.resourcemanager.scheduler.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.resourcemanager.resource-tracker.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.resourcemanager.admin.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.resourcemanager.webapp.address</name><value>127.0.0.1:$3</value></property>
  <property><name>yarn.nodemanager.hostname</name><value>127.0.0.1</value></property>
  <property><name>yarn.nodemanager.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.nodemanager.localizer.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.nodemanager.webapp.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.nodemanager.collector-service.address</name><value>127.0.0.1:$(free_port)</value></property>
  <property><name>yarn.nodemanager.local-dirs</name><value>$work/nm-local</value></property>
  <property><name>yarn.nodemanager.log-dirs</name><value>$work/nm-logs</value></property>
  <property><name>yarn.nodemanager.resource.memory-mb</name><value>4096</value></property>
  <property><name>yarn.nodemanager.resource.cpu-vcores</name><value>4</value></property>
  <property><name>yarn.scheduler.minimum-allocation-mb</name><value>256</value></property>
  <property><name>yarn.nodemanager.vmem-check-enabled</name><value>false</value></property>
  <property><name>yarn.nodemanager.pmem-check-enabled</name><value>false</value></property>
  <property><name>yarn.nodemanager.disk-health-checker.enable</name><value>false</value></property>
  <property><name>yarn.resourcemanager.scheduler.class</name><value>org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler</value></property>
  <property><name>yarn.log-aggregation-enable</name><value>false</value></property>
</configuration>
XML
    cat >"$conf/capacity-scheduler.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>yarn.scheduler.capacity.root.queues</name><value>default,etl</value></property>
  <property><name>yarn.scheduler.capacity.root.default.capacity</name><value>50</value></property>
  <property><name>yarn.scheduler.capacity.root.etl.capacity</name><value>50</value></property>
  <property><name>yarn.scheduler.capacity.root.default.maximum-capacity</name><value>100</value></property>
  <property><name>yarn.scheduler.capacity.root.etl.maximum-capacity</name><value>100</value></property>
  <property><name>yarn.scheduler.capacity.maximum-am-resource-percent</name><value>0.5</value></property>
</configuration>
XML
    echo '<?xml version="1.0"?><configuration><property><name>fs.defaultFS</name><value>file:///</value></property></configuration>' >"$conf/core-site.xml"
}

daemon() { # class log -> pid
    local jh
    jh=$(java17)
    "$jh/bin/java" -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED \
        --add-opens java.base/java.util=ALL-UNNAMED -Dhadoop.log.dir="$work" \
        -cp "$work/conf:$jars/lib/*" "$1" >"$2" 2>&1 &
    echo $!
}

case ${1:-} in
start)
    work=$(realpath -m "${2:?work dir}")
    fetch
    mkdir -p "$work"
    port=$(free_port)
    site "$work/conf" "$work" "$port"
    rm_pid=$(daemon org.apache.hadoop.yarn.server.resourcemanager.ResourceManager "$work/rm.log")
    echo "port=$port pid=$rm_pid" >"$work/state"
    for _ in $(seq 1 120); do
        curl -sf "http://127.0.0.1:$port/ws/v1/cluster/info" >/dev/null && break
        kill -0 "$rm_pid" 2>/dev/null || { echo "ResourceManager died:"; tail -30 "$work/rm.log"; exit 1; }
        sleep 1
    done
    nm_pid=$(daemon org.apache.hadoop.yarn.server.nodemanager.NodeManager "$work/nm.log")
    echo "port=$port pid=$rm_pid nm=$nm_pid" >"$work/state"
    for _ in $(seq 1 120); do
        if curl -sf "http://127.0.0.1:$port/ws/v1/cluster/metrics" | grep -q '"activeNodes":1'; then
            echo "YARN ResourceManager 3.3.4 on 127.0.0.1:$port (pid $rm_pid), NodeManager pid $nm_pid"
            exit 0
        fi
        kill -0 "$nm_pid" 2>/dev/null || { echo "NodeManager died:"; tail -30 "$work/nm.log"; exit 1; }
        sleep 1
    done
    echo "no NodeManager registered within 120 s:"; tail -20 "$work/nm.log"; exit 1
    ;;
spark)
    work=$(realpath "${2:?work dir}") logs=$(realpath -m "${3:?event log dir}")
    mkdir -p "$logs"
    "$here/shs.sh" install >/dev/null
    venv=$cache/pyspark-3.5.9
    sh=$("$venv/bin/python" -c "import pyspark, os; print(os.path.dirname(pyspark.__file__))")
    submit() { # deploy-mode name job-args...
        local mode=$1 name=$2
        shift 2
        local driver=()
        # client: the driver here, on loopback; cluster: in the ApplicationMaster's container, so
        # that a driver's failure is the application's (YARN records FAILED).
        [[ $mode == client ]] && driver=(--conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1)
        HADOOP_CONF_DIR=$work/conf JAVA_HOME=$(java17) PYSPARK_PYTHON=$venv/bin/python \
            "$sh/bin/spark-submit" --master yarn --deploy-mode "$mode" --queue etl --name "$name" \
            --conf spark.executor.memory=512m --conf spark.yarn.am.memory=512m \
            --conf spark.driver.memory=512m --conf spark.executor.instances=1 \
            --conf "spark.yarn.jars=local:$sh/jars/*" --conf spark.yarn.maxAppAttempts=1 \
            --conf "spark.yarn.appMasterEnv.PYSPARK_PYTHON=$venv/bin/python" \
            --conf "spark.executorEnv.PYSPARK_PYTHON=$venv/bin/python" "${driver[@]}" \
            --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$logs" \
            --conf spark.ui.enabled=false "$here/yarn/spark-job.py" "$@" >>"$work/spark.log" 2>&1
    }
    submit client yarn-orders-ok ok
    submit cluster yarn-orders-fail fail || true  # fails on purpose: YARN records it FAILED
    echo "Spark on YARN: $(grep -c . <(ls "$logs")) event log(s) in $logs"
    ;;
stop)
    work=${2:?work dir}
    [[ -f $work/state ]] || exit 0
    pids=$(grep -o '\(pid\|nm\)=[0-9]*' "$work/state" | cut -d= -f2)
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 1 20); do
        alive=0
        for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
        ((alive)) || exit 0
        sleep 0.5
    done
    for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
    ;;
*)
    echo "usage: yarn.sh start|spark|stop WORK_DIR ..." >&2
    exit 2
    ;;
esac
