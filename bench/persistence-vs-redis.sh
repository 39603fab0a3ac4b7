#!/usr/bin/env bash
#
# bench/persistence-vs-redis.sh — background rewrite and startup loading of the
# bundled server (./lossmeter server) against the real redis-server, on the
# same dataset. See bench/README.md for how to read the output.
#
#   bench/persistence-vs-redis.sh [--keys N] [--no-rewrite | --no-load]
#
#  1. BGREWRITEAOF of N keys (default 1,000,000: 80% strings, 20% lists of 5
#     elements): time from the command to aof_rewrite_in_progress:0, and the
#     worst latency a client sees meanwhile (bench/LatencyProbe.java: one
#     connection, INCR then RPUSH, one in flight, every round trip timed).
#  2. Loading at startup the same ~100 MB AOF (plain RESP) and the same RDB
#     (written by our SAVE): MB/s from each server's own "DB loaded from ...:
#     X seconds" log line, and spawn -> PONG wall time.
#
# Environment: BENCH_TMPDIR (data dirs; a real disk, default $TMPDIR or /tmp),
# LOSSMETER_SERVER_JAVA_OPTS (passed through to ./lossmeter).
#
# One server runs at a time. Every process is started by this script, tracked
# by PID and stopped by PID (SIGTERM, then SIGKILL after 15 s) on exit, Ctrl-C
# or SIGTERM; nothing is ever killed by name.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter
RESULTS_DIR=$BENCH_DIR/results

usage() { sed -n '3,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { printf 'persistence-vs-redis: %s\n' "$*" >&2; exit 1; }

keys=1000000
do_rewrite=1
do_load=1
while (($# > 0)); do
    case $1 in
        --keys) (($# >= 2)) || die "--keys needs a value"; keys=$2; shift ;;
        --keys=*) keys=${1#*=} ;;
        --no-rewrite) do_rewrite=0 ;;
        --no-load) do_load=0 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done
[[ $keys =~ ^[1-9][0-9]*$ ]] || die "--keys must be a positive integer, got '$keys'"
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or newer (for \$EPOCHREALTIME)"
for tool in redis-server redis-cli awk; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH"
done
[[ -x $LAUNCHER ]] || die "launcher not found: $LAUNCHER"

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/persistence-vs-redis.XXXXXX")
declare -a PIDS=()

# shellcheck source=lib/processes.sh
source "${BASH_SOURCE[0]%/*}/lib/processes.sh"
cleanup() {
    local pid
    trap - EXIT INT TERM
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do stop_pid "$pid"; done
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_us() { local t=${EPOCHREALTIME/[.,]/}; printf '%s\n' "$((10#$t))"; }

free_port() {
    local port i
    for ((i = 0; i < 200; i++)); do
        port=$((((RANDOM << 15) | RANDOM) % 22000 + 10000))
        if ! (: <>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then printf '%s\n' "$port"; return 0; fi
    done
    die "no free port found"
}

# launch KIND DIR APPENDONLY — starts a server on DIR and a free port, waits for
# PONG (up to 10 min: loading 100 MB). Sets SRV_PID SRV_PORT SRV_LOG SRV_MS.
launch() {
    local kind=$1 dir=$2 aof=$3 t0 reply deadline
    SRV_PORT=$(free_port)
    SRV_LOG=$dir.log
    local -a common=(--port "$SRV_PORT" --dir "$dir" --appendonly "$aof" --appendfsync everysec --save ""
        --auto-aof-rewrite-percentage 0)
    t0=$(now_us)
    case $kind in
        ours) LOSSMETER_NO_BUILD=1 "$LAUNCHER" server "${common[@]}" >"$SRV_LOG" 2>&1 & ;;
        redis) redis-server "${common[@]}" --bind 127.0.0.1 --daemonize no --appendfilename appendonly.aof >"$SRV_LOG" 2>&1 & ;;
    esac
    SRV_PID=$!
    PIDS+=("$SRV_PID")
    deadline=$((t0 + 600000000))
    while :; do
        reply=$(redis-cli -h 127.0.0.1 -p "$SRV_PORT" ping 2>/dev/null) || reply=
        [[ $reply == PONG ]] && break
        kill -0 "$SRV_PID" 2>/dev/null || { tail -n 20 "$SRV_LOG" >&2; die "$kind exited while starting"; }
        (($(now_us) < deadline)) || die "$kind did not answer PING within 10 minutes"
        sleep 0.01
    done
    SRV_MS=$(( ($(now_us) - t0) / 1000 ))
}

cli() { redis-cli -h 127.0.0.1 -p "$SRV_PORT" "$@"; }

# Waits until INFO persistence shows no rewrite running or scheduled; polls every 10 ms.
wait_rewrite_done() {
    local info
    while :; do
        info=$(cli info persistence | tr -d '\r')
        if grep -q '^aof_rewrite_in_progress:0' <<<"$info" && grep -q '^aof_rewrite_scheduled:0' <<<"$info"; then
            return 0
        fi
        kill -0 "$SRV_PID" 2>/dev/null || die "server exited during the rewrite"
        sleep 0.01
    done
}

# "DB loaded from append only file: 1.234 seconds" / "DB loaded from disk: 1.234 seconds": the seconds.
loaded_seconds() {
    grep -Eo "$1: [0-9.]+ seconds" "$SRV_LOG" | tail -n 1 | awk '{ print $(NF - 1) }'
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# ---- the dataset --------------------------------------------------------------------------------

printf 'Building (if needed) …\n' >&2
ours_version=$("$LAUNCHER" server --version) || die "build or launch of our server failed"
java_home=$("$LAUNCHER" --print-java-home)
redis_version=$(redis-server --version)
tmp_fs=$(df -PT "$WORK" 2>/dev/null | awk 'NR == 2 { print $2 }') || tmp_fs=unknown
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)

data=$WORK/dataset.aof
printf 'Generating %s keys as RESP …\n' "$keys" >&2
# 80% strings with 64 pseudo-random hex chars (incompressible enough for LZF),
# 20% lists of five 12-char elements. Valid as a plain AOF as it is.
awk -v n="$keys" 'function hex(k,   s, i) { s = ""; for (i = 0; i < k; i += 8) s = s sprintf("%08x", int(rand() * 4294967296)); return substr(s, 1, k) }
BEGIN {
    srand(42); ORS = ""
    for (i = 0; i < n; i++) {
        if (i % 5 == 4) {
            k = "list:" i
            printf "*7\r\n$5\r\nRPUSH\r\n$%d\r\n%s\r\n", length(k), k
            for (e = 0; e < 5; e++) { v = hex(12); printf "$12\r\n%s\r\n", v }
        } else {
            k = "key:" i; v = hex(64)
            printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$64\r\n%s\r\n", length(k), k, v
        }
    }
}' >"$data"
data_bytes=$(stat -c %s "$data")

declare -A rw_secs=() rw_max=() rw_p99=() rw_p999=() rw_over=() rw_ops=() rw_size=() base_max=() base_over=() base_ops=()
rdb=$WORK/dump.rdb

# ---- 1. BGREWRITEAOF ----------------------------------------------------------------------------

if ((do_rewrite)); then
    for kind in ours redis; do
        dir=$WORK/rewrite-$kind
        mkdir -p "$dir"
        launch "$kind" "$dir" yes
        printf '[rewrite] %s: loading %s keys with redis-cli --pipe …\n' "$kind" "$keys" >&2
        cli --pipe <"$data" >/dev/null
        # Baseline: the same probe for 5 s with no rewrite, so the machine's own stalls are on record.
        "$java_home/bin/java" "$BENCH_DIR/LatencyProbe.java" "$SRV_PORT" "$WORK/stop-base-$kind" >"$WORK/base-$kind.out" &
        probe=$!
        PIDS+=("$probe")
        sleep 5
        touch "$WORK/stop-base-$kind"
        wait "$probe" || die "latency probe failed"
        stop_pid "$probe"
        read -r ops max p99 p999 over <"$WORK/base-$kind.out"
        base_max[$kind]=$max base_over[$kind]=$over base_ops[$kind]=$ops
        stop_file=$WORK/stop-$kind
        out_file=$WORK/probe-$kind.out
        "$java_home/bin/java" "$BENCH_DIR/LatencyProbe.java" "$SRV_PORT" "$stop_file" >"$out_file" &
        probe=$!
        PIDS+=("$probe")
        # The probe's own start (compiling the source) must be over before the rewrite begins.
        until [[ $(cli get probe:count) =~ ^[0-9]+$ && $(cli get probe:count) -gt $((base_ops[$kind] / 2 + 2000)) ]]; do sleep 0.1; done
        printf '[rewrite] %s: BGREWRITEAOF …\n' "$kind" >&2
        t0=$(now_us)
        reply=$(cli bgrewriteaof)
        [[ $reply == *started* || $reply == *scheduled* ]] || die "$kind: BGREWRITEAOF replied '$reply'"
        wait_rewrite_done
        t1=$(now_us)
        touch "$stop_file"
        wait "$probe" || die "latency probe failed"
        stop_pid "$probe"
        read -r ops max p99 p999 over <"$out_file"
        rw_secs[$kind]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
        rw_max[$kind]=$max rw_p99[$kind]=$p99 rw_p999[$kind]=$p999 rw_over[$kind]=$over rw_ops[$kind]=$ops
        rw_size[$kind]=$(cli info persistence | tr -d '\r' | awk -F: '/^aof_current_size:/ { print $2 }')
        grep -q 'aof_last_bgrewrite_status:ok' <<<"$(cli info persistence)" || die "$kind: rewrite failed"
        if [[ $kind == ours ]]; then
            [[ $(cli save) == OK ]] || die "SAVE failed"
            cp "$dir/dump.rdb" "$rdb"
        fi
        stop_pid "$SRV_PID"
        rm -rf -- "$dir" "$dir.log"
        printf '[rewrite] %s: %s s, worst latency %s ms\n' "$kind" "${rw_secs[$kind]}" "${rw_max[$kind]}" >&2
    done
fi

# ---- 2. loading at startup ----------------------------------------------------------------------

declare -A ld_secs=() ld_wall=()
if ((do_load)); then
    if [[ ! -f $rdb ]]; then
        dir=$WORK/make-rdb
        mkdir -p "$dir"
        launch ours "$dir" no
        cli --pipe <"$data" >/dev/null
        [[ $(cli save) == OK ]] || die "SAVE failed"
        cp "$dir/dump.rdb" "$rdb"
        stop_pid "$SRV_PID"
        rm -rf -- "$dir" "$dir.log"
    fi
    for what in aof rdb; do
        for kind in ours redis; do
            dir=$WORK/load-$kind-$what
            mkdir -p "$dir"
            if [[ $what == aof ]]; then
                cp "$data" "$dir/appendonly.aof"
                launch "$kind" "$dir" yes
                secs=$(loaded_seconds "DB loaded from append only file")
            else
                cp "$rdb" "$dir/dump.rdb"
                launch "$kind" "$dir" no
                secs=$(loaded_seconds "DB loaded from disk")
            fi
            [[ -n $secs ]] || { tail -n 20 "$SRV_LOG" >&2; die "$kind: no 'DB loaded' line for the $what"; }
            n=$(cli dbsize)
            ((n >= keys)) || die "$kind loaded $n keys from the $what, expected $keys"
            ld_secs[$kind|$what]=$secs
            ld_wall[$kind|$what]=$SRV_MS
            stop_pid "$SRV_PID"
            rm -rf -- "$dir" "$dir.log"
            printf '[load] %s %s: %s s\n' "$kind" "$what" "$secs" >&2
        done
    done
fi

# ---- report -------------------------------------------------------------------------------------

mkdir -p "$RESULTS_DIR"
[[ -f $RESULTS_DIR/.gitignore ]] || printf '*\n!.gitignore\n' >"$RESULTS_DIR/.gitignore"
stamp=$(date +%Y%m%d-%H%M%S)
result_file=$RESULTS_DIR/persistence-vs-redis-$stamp.md

report() {
    printf '# persistence-vs-redis %s\n\n' "$stamp"
    printf -- '- ours: %s (git %s); redis: %s\n' "$ours_version" "$git_rev" "$redis_version"
    printf -- '- %s keys (80%% strings of 64 bytes, 20%% lists of 5 x 12 bytes); as plain RESP AOF %s MB; data dirs on %s; %s cores, load %s\n' \
        "$keys" "$(mb "$data_bytes")" "$tmp_fs" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
    if ((do_rewrite)); then
        printf '\n## BGREWRITEAOF (appendfsync everysec, aof-use-rdb-preamble yes) with a client writing meanwhile\n\n'
        printf '| server | rewrite time (s) | new AOF (MB) | probe ops | worst latency (ms) | p99 (ms) | p99.9 (ms) | ops > 50 ms | no rewrite, 5 s: worst (ms) / ops > 50 ms |\n'
        printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
        for kind in ours redis; do
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n' "$kind" "${rw_secs[$kind]}" "$(mb "${rw_size[$kind]:-0}")" \
                "${rw_ops[$kind]}" "${rw_max[$kind]}" "${rw_p99[$kind]}" "${rw_p999[$kind]}" "${rw_over[$kind]}" \
                "${base_max[$kind]}" "${base_over[$kind]}"
        done
    fi
    if ((do_load)); then
        printf '\n## Loading at startup (same files for both servers)\n\n'
        printf '| file | size (MB) | server | load time (s, own log) | MB/s | spawn -> PONG (ms) |\n'
        printf '|---|---:|---|---:|---:|---:|\n'
        for what in aof rdb; do
            size=$data_bytes
            [[ $what == rdb ]] && size=$(stat -c %s "$rdb")
            for kind in ours redis; do
                printf '| %s | %s | %s | %s | %s | %s |\n' "$what" "$(mb "$size")" "$kind" "${ld_secs[$kind|$what]}" \
                    "$(awk -v b="$size" -v s="${ld_secs[$kind|$what]}" 'BEGIN { if (s > 0) printf "%.0f", b / 1048576 / s; else print "n/a" }')" \
                    "${ld_wall[$kind|$what]}"
            done
        done
    fi
}

report | tee "$result_file"
printf '\nWritten to %s\n' "${result_file#"$ROOT"/}" >&2
