#!/usr/bin/env bash
# Proves one of README.md's two commands from a cold start: a fresh minimal Debian 12 root
# (mmdebstrap minbase bookworm, what debian:12-slim is), a clone of this repository's HEAD with
# nothing beside it, no caches (no ~/.cache/spot, ~/.m2, pip cache or ccache), and the command
# exactly as README.md writes it, run as root inside the root with /proc, /sys and /dev mounted.
# Prints how long the command took. Too long for CI's budget: run it now and then, and after a
# change to what the suite downloads or installs.
#   tools/cold-start.sh 1|2 [WORK_DIR]       (root; WORK_DIR defaults to /var/tmp/spot-cold-N)
# The machine's own extra CA certificates (/usr/local/share/ca-certificates) and pip's machine
# configuration (/etc/pip.conf) are copied in, as a machine behind a TLS-inspecting proxy needs
# them to reach the registries; nothing else of the machine is.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
n=${1:?usage: cold-start.sh 1|2 [WORK_DIR]}
[[ $n == 1 || $n == 2 ]] || { echo "cold-start.sh: the README has commands 1 and 2" >&2; exit 2; }
work=$(realpath -m "${2:-/var/tmp/spot-cold-$n}")
[[ $(id -u) == 0 ]] || { echo "cold-start.sh: needs root (mmdebstrap, chroot, mounts)" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "cold-start.sh: needs mmdebstrap (deploy/install-deps.sh)" >&2; exit 1; }
say() { echo "== cold-start: $*"; }

# The command as README.md writes it: the line after the comment "# N. ...".
cmd=$(awk -v n="$n" '$0 ~ "^# " n "\\. " { getline; print; exit }' "$src/README.md")
[[ -n $cmd ]] || { echo "cold-start.sh: README.md has no command $n" >&2; exit 1; }

mounts=()
unmount_all() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
    # and whatever the command mounted below the root (the deploy test's own chroots)
    awk -v w="$work/root/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r |
        while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
trap unmount_all EXIT
unmount_all
rm -rf --one-file-system "$work" && mkdir -p "$work"
root=$work/root

say "a minimal Debian 12 root in $root"
mmdebstrap --variant=minbase --quiet bookworm "$root"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    # minbase has no ca-certificates; the bundle is rebuilt when install-deps.sh installs it
    mkdir -p "$root/etc/ssl/certs"
    cat /usr/local/share/ca-certificates/*.crt >"$root/etc/ssl/certs/ca-certificates.crt"
fi
[[ -f /etc/pip.conf ]] && cp /etc/pip.conf "$root/etc/pip.conf"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# What the installer (or a container runtime) gives every Debian machine and minbase lacks: a
# name for the loopback (pyspark binds "localhost") and for the machine itself (the chroot
# keeps the kernel's host name, which Java resolves for the Spark driver).
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t%s\n' \
    "$(hostname)" >"$root/etc/hosts"
hostname >"$root/etc/hostname"

say "a clone of HEAD ($(git -C "$src" rev-parse --short HEAD)) in /root/spot, nothing beside it"
git clone --quiet --no-hardlinks "$src" "$root/root/spot"
git -C "$root/root/spot" checkout --quiet "$(git -C "$src" rev-parse HEAD)"

# The root is a mount point, as a container's is: Java looks its file store up in /proc/mounts,
# and OpenSearch will not start on a path it cannot find there.
mount --bind "$root" "$root" && mounts+=("$root")
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
mount --bind /dev "$root/dev" && mounts+=("$root/dev")

say "README command $n: $cmd"
start=$(date +%s)
set +e
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -c "cd /root/spot && $cmd" 2>&1 | tee "$work/command.log"
rc=${PIPESTATUS[0]}
set -e
took=$(($(date +%s) - start))
say "README command $n exited $rc after $((took / 60)) min $((took % 60)) s (log: $work/command.log)"
exit "$rc"
