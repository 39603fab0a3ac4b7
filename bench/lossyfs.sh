#!/usr/bin/env bash
#
# bench/lossyfs.sh — throughput of the bundled server (./lossmeter server) with its data
# dir on lossyfs against the same server on a plain directory, under each appendfsync
# policy, with redis-benchmark, in one run. Prints a table and the ratio lossyfs/plain
# (the aim: >= 0.5 under everysec).
#
# With --triggers, the lossyfs runs are made twice: without crash points (lossyfs
# --no-triggers) and with a crash point armed that every write is matched against but
# that never fires (the cost of counting and matching each operation), and the table
# gains the ratio armed/unarmed.
#
#   bench/lossyfs.sh [--quick] [--policies always,everysec,no] [--tests incr,lpush]
#                    [--metadata strict|ordered] [--triggers]
#
# Environment:
#   BENCH_N           requests per run without pipelining (default 100000; --quick 5000)
#   BENCH_N_PIPELINED requests per run with -P 16 (default 2 x BENCH_N)
#   BENCH_CLIENTS     redis-benchmark -c (default 50)
#   BENCH_TMPDIR      where data dirs, lossyfs backing dirs and mounts go (default $TMPDIR
#                     or /tmp); a real disk, so that fsync costs what it costs
#
# Each measured run follows a discarded warm-up run of the same test on the same server
# process (the JIT). One server at a time. Every process is started by this script,
# tracked by PID and stopped by PID (SIGTERM, SIGKILL after 15 s); every mount this script
# made is lazily unmounted by its exact path if it is still there at exit. Nothing is ever
# killed by name. Needs root (or a user allowed to mount FUSE), fuse3 and libfuse3-3.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter
RESULTS_DIR=$BENCH_DIR/results

die() {
    printf 'lossyfs-bench: %s\n' "$*" >&2
    exit 1
}

policies_arg=always,everysec,no
tests_arg=incr,lpush
metadata=strict
quick=0
triggers=0
while (($# > 0)); do
    case $1 in
        --quick) quick=1 ;;
        --triggers) triggers=1 ;;
        --policies) (($# >= 2)) || die "--policies needs a value"; policies_arg=$2; shift ;;
        --tests) (($# >= 2)) || die "--tests needs a value"; tests_arg=$2; shift ;;
        --metadata) (($# >= 2)) || die "--metadata needs a value"; metadata=$2; shift ;;
        -h | --help) sed -n '3,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
    shift
done
IFS=, read -r -a policies <<<"$policies_arg" || true
for p in "${policies[@]}"; do
    case $p in always | everysec | no) ;; *) die "unknown policy '$p'" ;; esac
done
[[ $tests_arg =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ ]] || die "bad --tests '$tests_arg'"
[[ $metadata == strict || $metadata == ordered ]] || die "--metadata is strict or ordered"
if ((quick)); then n_plain=${BENCH_N:-5000}; else n_plain=${BENCH_N:-100000}; fi
n_pipelined=${BENCH_N_PIPELINED:-$((2 * n_plain))}
clients=${BENCH_CLIENTS:-50}
for tool in redis-benchmark redis-cli fusermount3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH"
done

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/lossyfs-bench.XXXXXX")
declare -a PIDS=() MOUNTS=()

# shellcheck source=lib/processes.sh
source "${BASH_SOURCE[0]%/*}/lib/processes.sh"

is_mounted() {
    awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

cleanup() {
    local pid m
    trap - EXIT INT TERM
    # Newest first: the server (using the mount) stops before the lossyfs under it.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    for m in ${MOUNTS[@]+"${MOUNTS[@]}"}; do
        if is_mounted "$m"; then fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; fi
    done
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    local port i
    for ((i = 0; i < 200; i++)); do
        port=$((((RANDOM << 15) | RANDOM) % 22000 + 10000))
        if ! (: <>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free port found"
}

# wait_for PID SECONDS COMMAND… — polls COMMAND every 10 ms until it succeeds;
# fails when PID exits first or time runs out.
wait_for() {
    local pid=$1 secs=$2 i
    shift 2
    for ((i = 0; i < secs * 100; i++)); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

# control SOCKET LINE — one command to a lossyfs control socket; prints the reply.
control() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.makefile().readline().strip())
PY
}

pong() { [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]; }

# start_lossyfs NAME [ARGS…] — mounts lossyfs over $WORK/NAME.mnt; sets LFS_PID, LFS_MNT.
start_lossyfs() {
    local name=$1 backing=$WORK/$1.backing log=$WORK/$1.lossyfs.log
    shift
    LFS_MNT=$WORK/$name.mnt
    mkdir -p "$backing" "$LFS_MNT"
    MOUNTS+=("$LFS_MNT")
    LOSSMETER_NO_BUILD=1 "$LAUNCHER" lossyfs --backing "$backing" --mount "$LFS_MNT" \
        --control "$WORK/$name.sock" --metadata "$metadata" "$@" >"$log" 2>&1 &
    LFS_PID=$!
    PIDS+=("$LFS_PID")
    wait_for "$LFS_PID" 60 grep -q 'lossyfs ready' "$log" || { tail -n 20 "$log" >&2; die "lossyfs did not mount"; }
}

# start_server DIR POLICY — sets SRV_PID, SRV_PORT.
start_server() {
    local dir=$1 policy=$2 log=$WORK/server-$RANDOM.log
    SRV_PORT=$(free_port)
    LOSSMETER_NO_BUILD=1 "$LAUNCHER" server --port "$SRV_PORT" --dir "$dir" \
        --appendonly yes --appendfsync "$policy" --save "" >"$log" 2>&1 &
    SRV_PID=$!
    PIDS+=("$SRV_PID")
    wait_for "$SRV_PID" 120 pong "$SRV_PORT" || { tail -n 20 "$log" >&2; die "server did not answer PING"; }
}

bench() {
    local port=$1 n=$2 pipeline=$3 out
    local -a cmd=(redis-benchmark -h 127.0.0.1 -p "$port" -t "$tests_arg" -c "$clients" -n "$n" -q)
    ((pipeline > 1)) && cmd+=(-P "$pipeline")
    out=$("${cmd[@]}" 2>&1 </dev/null) || die "redis-benchmark failed: $out"
    tr '\r' '\n' <<<"$out" | awk -F': ' '/ requests per second/ {
        name = $1; sub(/^[ \t]+/, "", name); split($2, f, " "); print tolower(name) "\t" f[1] }'
}

printf 'Building (if needed)…\n' >&2
"$LAUNCHER" server --version >/dev/null || die "build failed"
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
fs_type=$(stat -f -c %T "$WORK" 2>/dev/null || echo unknown)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A rps=()
declare -a rows=()
kinds=(plain lossyfs)
((triggers)) && kinds=(plain lossyfs armed)
for policy in "${policies[@]}"; do
    for kind in "${kinds[@]}"; do
        name=$policy-$kind
        if [[ $kind == lossyfs ]] && ((triggers)); then
            start_lossyfs "$name" --no-triggers
            dir=$LFS_MNT
        elif [[ $kind == lossyfs ]]; then
            start_lossyfs "$name"
            dir=$LFS_MNT
        elif [[ $kind == armed ]]; then
            start_lossyfs "$name"
            dir=$LFS_MNT
            reply=$(control "$WORK/$name.sock" "arm after write 1000000000000 appendonly.aof* hold")
            [[ $reply == "ok armed"* ]] || die "lossyfs did not arm: $reply"
        else
            dir=$WORK/$name.dir
            mkdir -p "$dir"
        fi
        start_server "$dir" "$policy"
        for pipeline in 1 16; do
            n=$n_plain
            ((pipeline > 1)) && n=$n_pipelined
            printf '%-8s %-7s P=%-2s warm-up + measured (n=%s)…\n' "$policy" "$kind" "$pipeline" "$n" >&2
            bench "$SRV_PORT" "$n" "$pipeline" >/dev/null
            while IFS=$'\t' read -r test value; do
                key="$policy|$test|$pipeline"
                [[ -n ${rps[$key|plain]+x} || -n ${rps[$key|lossyfs]+x} || -n ${rps[$key|armed]+x} ]] || rows+=("$key")
                rps[$key|$kind]=$value
            done < <(bench "$SRV_PORT" "$n" "$pipeline")
        done
        stop_pid "$SRV_PID"
        if [[ $kind != plain ]]; then
            stop_pid "$LFS_PID"
            is_mounted "$LFS_MNT" && die "lossyfs exited but $LFS_MNT is still mounted"
        fi
    done
done

mkdir -p "$RESULTS_DIR"
[[ -f $RESULTS_DIR/.gitignore ]] || printf '*\n!.gitignore\n' >"$RESULTS_DIR/.gitignore"
result_file=$RESULTS_DIR/lossyfs-$(date +%Y%m%d-%H%M%S).md
{
    printf '# lossyfs vs plain directory (git %s)\n\n' "$git_rev"
    printf -- '- bundled server, appendonly yes; redis-benchmark -c %s -n %s / -n %s with -P 16, tests %s\n' \
        "$clients" "$n_plain" "$n_pipelined" "$tests_arg"
    printf -- '- lossyfs --metadata %s, backing and plain dirs on %s; %s cores, load %s at start, %s at end\n\n' \
        "$metadata" "$fs_type" "$(nproc)" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
    if ((triggers)); then
        printf '| policy | test | pipeline | plain req/s | lossyfs, no triggers | lossyfs, armed | ratio lossyfs/plain | ratio armed/no triggers |\n'
        printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
    else
        printf '| policy | test | pipeline | plain req/s | lossyfs req/s | ratio lossyfs/plain |\n'
        printf '|---|---|---:|---:|---:|---:|\n'
    fi
    for key in "${rows[@]}"; do
        IFS='|' read -r policy test pipeline <<<"$key"
        plain=${rps[$key|plain]:-0}
        lossy=${rps[$key|lossyfs]:-0}
        if ((triggers)); then
            armed=${rps[$key|armed]:-0}
            printf '| %s | %s | %s | %.0f | %.0f | %.0f | %s | %s |\n' "$policy" "$test" "$pipeline" "$plain" "$lossy" "$armed" \
                "$(ratio "$lossy" "$plain")" "$(ratio "$armed" "$lossy")"
        else
            printf '| %s | %s | %s | %.0f | %.0f | %s |\n' "$policy" "$test" "$pipeline" "$plain" "$lossy" "$(ratio "$lossy" "$plain")"
        fi
    done
} | tee "$result_file"
printf '\nSaved to %s\n' "$result_file" >&2
