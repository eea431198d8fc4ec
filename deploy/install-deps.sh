#!/usr/bin/env bash
# Installs every build and test dependency of Spot from Debian 12 packages.
#   deploy/install-deps.sh            build and test dependencies
#   deploy/install-deps.sh --runtime  only the shared libraries spotd needs to run (Docker)
# Idempotent: safe to run again; nothing is installed twice.
set -euo pipefail

runtime_packages=(
    libboost-json1.81.0 libyaml-cpp0.7 libspdlog1.10 libfmt9 libssl3 libsystemd0 libzstd1 liblz4-1 libsnappy1v5 liblzf1 libsimdjson14 libzip4 tzdata ca-certificates
)
packages=(
    build-essential cmake ninja-build ccache pkg-config git
    libboost1.81-dev libboost-json1.81-dev libboost-filesystem1.81-dev
    libboost-program-options1.81-dev
    libyaml-cpp-dev libspdlog-dev libfmt-dev catch2 libeigen3-dev
    libssl-dev libsystemd-dev libzstd-dev liblz4-dev libsnappy-dev liblzf-dev libsimdjson-dev libzip-dev
    curl ca-certificates python3 python3-venv openjdk-17-jre-headless systemd
    maven unzip openssl procps util-linux time file
    chromium fonts-dejavu-core
    mmdebstrap clang-format
)

if [[ ${1:-} == --runtime ]]; then
    packages=("${runtime_packages[@]}")
fi

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
