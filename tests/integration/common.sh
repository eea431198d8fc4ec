# Helpers shared by the scripts that start real servers for the tests (sourced, not run).

# The machine's Java 17 (what the History Server, OpenSearch 2.19 and Elasticsearch 8.17 run on).
java17() {
    for j in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*; do
        [[ -x $j/bin/java ]] && { echo "$j"; return; }
    done
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
