#!/usr/bin/env bash
# Installs every build and test dependency of Spot from Debian 12 packages.
# Idempotent: safe to run again; apt-get skips what is already installed.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config git
    libboost1.81-dev libboost-json1.81-dev libboost-filesystem1.81-dev
    libboost-program-options1.81-dev
    libyaml-cpp-dev libspdlog-dev libfmt-dev catch2
    libssl-dev libsystemd-dev
    curl ca-certificates python3
)

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps.sh: run as root (it calls apt-get)" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "install-deps.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "install-deps.sh: all packages present"
fi
