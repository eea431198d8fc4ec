#!/usr/bin/env bash
# Proves deploy/docker/Dockerfile without a Docker engine: builds each stage's root filesystem in
# a chroot from Debian's packages (mmdebstrap, minbase bookworm = debian:12-slim), carrying out
# exactly the Dockerfile's instructions (FROM, WORKDIR, COPY [--from], RUN, USER; the rest is
# metadata that is recorded and used below), then runs the image as Docker would: ENTRYPOINT +
# CMD as USER in WORKDIR, with --once, against the real History Server and OpenSearch node of the
# test fixture, checks what it stored, and runs the HEALTHCHECK against the daemon. Then builds
# the Debian package with CPack, installs it in the same image with apt and runs the systemd
# unit's ExecStart, as the unit's user, the same way.
#   chroot-image.sh WORK_DIR BUILD_DIR SHS_STATE SEARCH_WORK
# Needs root (chroot, mounts). The build stage shares the machine's ccache and a folder of
# downloaded .debs (as a BuildKit cache mount would), so a second run takes minutes.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
src=$(realpath "$here/../..")
work=$(realpath -m "${1:?work dir}") build=$(realpath "${2:?build dir}")
shs_state=${3:?History Server state} search=${4:?search node work dir}
dockerfile=$src/deploy/docker/Dockerfile
cache=${SPOT_CACHE:-$HOME/.cache/spot}
ccache_dir=$(ccache --get-config cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")

[[ $(id -u) == 0 ]] || { echo "chroot-image.sh: needs root (chroot and mounts)" >&2; exit 1; }
say() { echo "== $*"; }
fail() { echo "chroot-image.sh: FAILED: $*" >&2; exit 1; }

# The base image, made once a week: debian:12-slim is minbase bookworm.
base=$cache/debian-12-minbase.tar
if [[ ! -f $base ]] || [[ -n $(find "$base" -mtime +7) ]]; then
    say "making the base root filesystem (mmdebstrap minbase bookworm)"
    mkdir -p "$cache"
    mmdebstrap --variant=minbase --quiet bookworm "$base.tmp.tar"
    mv "$base.tmp.tar" "$base"
fi

# Whatever is still mounted under WORK (a run killed before its trap): unmounted before any
# rm -rf there, which would otherwise reach into the machine's /dev, ccache or .deb cache.
unmount_stale() {
    local m
    while read -r m; do umount -l "$m" 2>/dev/null || true; done < <(
        awk -v w="$work/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r)
}
unmount_stale

mounts=()
unmount_all() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
    mounts=()
}
trap unmount_all EXIT
bind() { # SOURCE TARGET
    mkdir -p "$2"
    mount --bind "$1" "$2"
    mounts+=("$2")
}
enter() { # ROOT: what a container has: /proc, /dev, DNS, the .deb cache, the build cache
    local root=$1
    mkdir -p "$root/proc" "$cache/apt-archives/partial" "$ccache_dir"
    mount -t proc proc "$root/proc" && mounts+=("$root/proc")
    bind /dev "$root/dev"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    bind "$cache/apt-archives" "$root/var/cache/apt/archives"
    bind "$ccache_dir" "$root/root/.cache/ccache"
}

# Runs a command in ROOT as Docker's RUN/ENTRYPOINT would: /bin/sh -c, in the working directory,
# as the user. Extra environment as NAME=VALUE before the command.
in_root() { # ROOT USER DIR [NAME=VALUE...] -- COMMAND
    local root=$1 user=$2 dir=$3
    shift 3
    local env=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
               CCACHE_DIR=/root/.cache/ccache DEBIAN_FRONTEND=noninteractive)
    while [[ $1 != -- ]]; do env+=("$1"); shift; done
    shift
    local ids  # the user as the image's own /etc/passwd knows it
    ids=$(chroot "$root" id -u "$user"):$(chroot "$root" id -g "$user") || fail "no user $user in $root"
    chroot --userspec="$ids" "$root" /usr/bin/env -i "${env[@]}" /bin/sh -c "cd '$dir' && $*"
}

# Docker's context: the checkout without what .dockerignore names.
context=$work/context
rm -rf "$context" && mkdir -p "$context"
tar -C "$src" --exclude-vcs $(sed -n 's|^\([^#].*\)/$|--exclude=./\1|p' "$src/.dockerignore") -cf - . |
    tar -C "$context" -xf -

# The Dockerfile's instructions, continuation lines joined.
mapfile -t lines < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" | grep -v '^\s*#' | grep -v '^\s*$')
declare -A stage_root
root="" user=root dir=/ entrypoint="" cmd="" healthcheck=""
for line in "${lines[@]}"; do
    op=${line%% *} arg=${line#* }
    case $op in
    FROM)
        unmount_all
        name=$(sed -n 's/.* AS \(.*\)/\1/p' <<<"$arg")
        root=$work/stage-${name:-final}
        say "FROM $arg -> $root"
        unmount_stale
        rm -rf --one-file-system "$root" && mkdir -p "$root" && tar -C "$root" -xf "$base"
        enter "$root"
        [[ -n $name ]] && stage_root[$name]=$root
        user=root dir=/
        ;;
    WORKDIR) dir=$arg; mkdir -p "$root$dir" ;;
    USER) user=$arg ;;
    COPY)
        from=$context
        if [[ $arg == --from=* ]]; then
            from=${stage_root[$(sed 's/--from=\([^ ]*\).*/\1/' <<<"$arg")]}
            arg=${arg#* }
        fi
        read -r what to <<<"$arg"
        [[ $to == /* ]] || to=$dir/$to
        say "COPY $what $to"
        if [[ -d $from/$what ]]; then
            mkdir -p "$root$to" && cp -a "$from/$what/." "$root$to/"
        else
            [[ $to == */ ]] && mkdir -p "$root$to"
            mkdir -p "$(dirname "$root$to")" && cp -a "$from/$what" "$root$to"
        fi
        ;;
    RUN)
        say "RUN $arg"
        in_root "$root" "$user" "$dir" -- "$arg" || fail "RUN $arg"
        ;;
    ENTRYPOINT) entrypoint=$arg ;;
    CMD) cmd=$arg ;;
    HEALTHCHECK) healthcheck=$(sed 's/.*CMD //' <<<"$arg") ;;
    EXPOSE | ENV | LABEL) ;;
    *) fail "unsupported instruction $op (teach this script, or keep the Dockerfile simple)" ;;
    esac
done
# The exec form ["a", "b"] as words.
words() { python3 -c 'import json, shlex, sys; print(shlex.join(json.loads(sys.argv[1])))' "$1"; }

shs=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' "$shs_state")
es=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' "$search/state")
[[ -n $shs && -n $es ]] || fail "the History Server and the search node of the fixture are not running"
expected=$(curl -sf "http://127.0.0.1:$shs/api/v1/applications?status=completed" |
    python3 -c 'import json, sys; print(sum(len(a["attempts"]) for a in json.load(sys.stdin)))')
# The fixture's upstream logs are years old: look back over all of them, in one listing request.
# The suite's own Spark runs may have ended minutes ago (on a machine where the suite never ran
# they are made just before): production.yaml's completion timeout (30m) would rightly hold them
# back, and the count above would then depend on the wall clock. A timeout of 0 takes every
# completed run, whatever its age.
env_urls=(SPOT_HISTORY_URL="http://127.0.0.1:$shs" SPOT_ES_URL="http://127.0.0.1:$es"
          SPOT_LOOKBACK=36500d SPOT_TIME_STEP=36500d SPOT_COMPLETION_TIMEOUT=0s)

count_lines() { [[ -f $1 ]] && wc -l <"$1" || echo 0; }
check_run() { # LABEL OUT_DIR INDEX
    local agg
    agg=$(count_lines "$2/agg.jsonl")
    [[ $agg == "$expected" ]] || fail "$1: $agg agg documents in $2, expected $expected"
    # production.yaml turns the analysis and the regression advisor on: an installed Spot gives
    # findings and advice, not only statistics.
    local analysed
    analysed=$(python3 -c 'import json, sys; print(sum("analysis" in json.loads(l)["_source"].get("attempt", {}) for l in open(sys.argv[1])))' "$2/agg.jsonl")
    [[ $analysed == "$expected" ]] || fail "$1: $analysed of $expected agg documents carry attempt.analysis"
    [[ $(count_lines "$2/advice.jsonl") -gt 0 ]] || fail "$1: the regression advisor wrote no advice in $2"
    curl -sf -XPOST "http://127.0.0.1:$es/$3/_refresh" >/dev/null
    local stored
    stored=$(curl -sf "http://127.0.0.1:$es/$3/_count" | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')
    [[ $stored == "$expected" ]] || fail "$1: $stored documents in the index $3, expected $expected"
    say "$1: $agg agg documents (each analysed) in the file sink and $stored in OpenSearch ($3), and $(count_lines "$2/advice.jsonl") advice documents"
}

say "the image: $(words "$entrypoint") $(words "$cmd") --once, as $user in $dir"
curl -sf -XDELETE "http://127.0.0.1:$es/spot_agg_prod_1" >/dev/null || true
in_root "$root" "$user" "$dir" "${env_urls[@]}" -- "$(words "$entrypoint") $(words "$cmd") --once" ||
    fail "the image's command exited $?"
check_run image "$root/var/lib/spot/out" spot_agg_prod_1

say "the image's HEALTHCHECK against the running daemon"
in_root "$root" "$user" "$dir" "${env_urls[@]}" -- "exec $(words "$entrypoint") $(words "$cmd")" &
daemon=$!
healthy=0
for _ in $(seq 1 60); do
    if in_root "$root" "$user" "$dir" -- "$(words "$healthcheck")" 2>/dev/null; then healthy=1; break; fi
    sleep 1
done
pkill -TERM -P "$daemon" 2>/dev/null || true
kill -TERM "$daemon" 2>/dev/null || true
wait "$daemon" || true
((healthy)) || fail "the HEALTHCHECK never passed"
say "HEALTHCHECK passed"

say "the Debian package (cpack) installed in the image with apt"
rm -rf "$work/package" && mkdir -p "$work/package"
(cd "$work/package" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null) || fail "cpack"
deb=$(ls "$work/package"/spot_*.deb)
cp "$deb" "$root/tmp/spot.deb"
in_root "$root" root / -- "apt-get update -qq && apt-get install -y -qq /tmp/spot.deb >/dev/null" ||
    fail "apt-get install of the package"
unit=$root/usr/lib/systemd/system/spotd.service
[[ -f $unit ]] || unit=$root/lib/systemd/system/spotd.service
[[ -f $unit && -f $root/etc/spot/spot.yaml ]] || fail "the package installed no unit or no /etc/spot/spot.yaml"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
unit_user=$(sed -n 's/^User=//p' "$unit")
state=/var/lib/$(sed -n 's/^StateDirectory=//p' "$unit")
say "the unit: $exec_start --once, as $unit_user in $state"
[[ $exec_start == /usr/bin/spotd* ]] || fail "ExecStart does not name the package's spotd: $exec_start"
# What systemd's StateDirectory= and DynamicUser= provide, given by hand.
rm -rf "$root$state" && mkdir -p "$root$state"
chroot "$root" chown "$unit_user" "$state"
curl -sf -XDELETE "http://127.0.0.1:$es/spot_agg_prod_1" >/dev/null || true
in_root "$root" "$unit_user" "$state" "${env_urls[@]}" -- "$exec_start --once" ||
    fail "the unit's command exited $?"
check_run package "$root$state/out" spot_agg_prod_1
say "the Dockerfile's image and the Debian package work"
