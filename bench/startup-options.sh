#!/usr/bin/env bash
#
# bench/startup-options.sh — how long our server takes from JVM spawn to its
# "Ready to accept connections" log line under several JVM option sets,
# including JDK 25 AOT caches, plus class-loading counts and a phase breakdown.
# It runs java directly (the JDK the launcher picks) on a private copy of the
# server jar, so a rebuild by someone else mid-run cannot invalidate the caches.
#
#   bench/startup-options.sh [--runs N] [--no-phases]
#
# Variants (all with -XX:+UseSerialGC, as the launcher does):
#   cds          -Xshare:auto: the launcher's default when there is no AOT cache
#   cds+c1       the same plus -XX:TieredStopAtLevel=1
#   nocds        -Xshare:off, for reference (no class data sharing at all)
#   aot-start    -XX:AOTCache trained by starting the server and stopping it at once
#   aot-tcp      -XX:AOTCache trained by scripts/aot-train.sh (a few inline commands
#                over /dev/tcp): what the launcher would do after a build
#   aot-work     -XX:AOTCache trained with a short redis-benchmark workload first
#   aot-work+c1  the same plus -XX:TieredStopAtLevel=1
#
# Runs are interleaved (run 1 of every variant, then run 2, …) so that load
# from other processes spreads over all variants; the median is reported, and
# the minimum, which on a busy machine is the better estimate of the cost.
# Every process is started here and stopped by PID; temp files are removed.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter

die() {
    printf 'startup-options: %s\n' "$*" >&2
    exit 1
}

runs=9
phases=1
while (($# > 0)); do
    case $1 in
        --runs) (($# >= 2)) || die "--runs needs a value"; runs=$2; shift ;;
        --no-phases) phases=0 ;;
        -h | --help) sed -n '3,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option: $1" ;;
    esac
    shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer"
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or newer (for \$EPOCHREALTIME)"
command -v redis-benchmark >/dev/null 2>&1 || die "redis-benchmark not found (used for the training workload)"

"$LAUNCHER" server --version >/dev/null || die "build failed (see above); LOSSMETER_NO_BUILD=1 uses the jar already built"
JAVA=$("$LAUNCHER" --print-java-home)/bin/java

WORK=$(mktemp -d "${TMPDIR:-/tmp}/startup-options.XXXXXX")
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

# cp -p keeps the mtime, which the AOT cache records and checks.
JAR=$WORK/target-server.jar
cp -p "$ROOT/target-server/target/target-server.jar" "$JAR"

now_us() {
    local t=${EPOCHREALTIME/[.,]/}
    printf '%s\n' "$((10#$t))"
}

# start JVM_OPTS… — starts the server on port 0 with a fresh dir; sets PID, LOG, DIR.
start() {
    DIR=$(mktemp -d "$WORK/data.XXXXXX")
    LOG=$DIR.log
    "$JAVA" "$@" -cp "$JAR" lossmeter.server.ServerMain server --port 0 --dir "$DIR" \
        --appendonly yes --appendfsync everysec --save "" >"$LOG" 2>&1 &
    PID=$!
    PIDS+=("$PID")
}

# Waits (polling every 2 ms, at most 60 s) for the Ready line; prints the port.
wait_ready() {
    local i
    for ((i = 0; i < 30000; i++)); do
        if grep -q 'Ready to accept connections' "$LOG" 2>/dev/null; then
            sed -n 's/.*Ready to accept connections tcp port=\([0-9]*\).*/\1/p' "$LOG" | head -n 1
            return 0
        fi
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.002
    done
    printf 'startup-options: the server did not get ready; log:\n' >&2
    cat "$LOG" >&2
    return 1
}

# Milliseconds from T0 (µs) to the Ready line's own timestamp.
ready_ms() {
    local t0=$1 stamp secs
    stamp=$(grep -m 1 'Ready to accept connections' "$LOG" | awk '{print $2, $3, $4, $5}')
    secs=$(date -d "$stamp" +%s.%N)
    awk -v s="$secs" -v t0="$t0" 'BEGIN { printf "%.0f\n", s * 1000 - t0 / 1000 }'
}

finish() {
    stop_pid "$PID" 30
    rm -rf -- "$DIR" "$LOG"
}

# train CACHE WORKLOAD(0|1) — one training run writing an AOT cache.
train() {
    local cache=$1 workload=$2 port t0
    t0=$(now_us)
    start -XX:+UseSerialGC "-XX:AOTCacheOutput=$cache"
    port=$(wait_ready)
    if ((workload)); then
        redis-benchmark -h 127.0.0.1 -p "$port" -c 10 -n 2000 -q \
            -t ping,set,get,incr,lpush,rpush,lpop,rpop,lrange_100,mset >/dev/null 2>&1 </dev/null
    fi
    # SIGTERM: the server shuts down cleanly and System.exit()s, at which
    # point the JVM dumps the training data and forks a child to build the cache.
    stop_pid "$PID" 30
    [[ -f $cache ]] || { cat "$LOG" >&2; die "training did not produce $cache"; }
    printf 'trained %s (workload=%s): %s bytes in %s ms\n' "${cache##*/}" "$workload" \
        "$(wc -c <"$cache")" "$((($(now_us) - t0) / 1000))" >&2
    rm -rf -- "$DIR" "$LOG"
}

train "$WORK/start.aot" 0
train "$WORK/work.aot" 1
"$BENCH_DIR/../scripts/aot-train.sh" "$WORK/tcp.aot" "$JAR"

names=(cds cds+c1 nocds aot-start aot-tcp aot-work aot-work+c1)
declare -A opts=(
    [cds]="-XX:+UseSerialGC -Xshare:auto"
    [cds+c1]="-XX:+UseSerialGC -Xshare:auto -XX:TieredStopAtLevel=1"
    [nocds]="-XX:+UseSerialGC -Xshare:off"
    [aot-start]="-XX:+UseSerialGC -XX:AOTCache=$WORK/start.aot"
    [aot-tcp]="-XX:+UseSerialGC -XX:AOTCache=$WORK/tcp.aot"
    [aot-work]="-XX:+UseSerialGC -XX:AOTCache=$WORK/work.aot"
    [aot-work+c1]="-XX:+UseSerialGC -XX:AOTCache=$WORK/work.aot -XX:TieredStopAtLevel=1"
)
declare -A times=()

for ((r = 1; r <= runs; r++)); do
    for name in "${names[@]}"; do
        read -r -a o <<<"${opts[$name]}"
        t0=$(now_us)
        start "${o[@]}"
        wait_ready >/dev/null
        times[$name]+="$(ready_ms "$t0") "
        finish
    done
    printf 'run %s/%s done\n' "$r" "$runs" >&2
done

# Class-loading counts: one extra run per variant with -Xlog:class+load.
count_classes() {
    local -a o
    local f
    f=$(mktemp "$WORK/classes.XXXXXX")
    read -r -a o <<<"${opts[$1]}"
    start "${o[@]}" "-Xlog:class+load:file=$f"
    wait_ready >/dev/null
    finish
    awk '/ source: / { total++
            if (/shared objects file/) shared++
            else if (/__JVM_LookupDefineClass__|\$\$Lambda|LambdaForm\$|\$\$StringConcat/) gen++
            else if (/source: file:/) app++
            else jdk++ }
        END { printf "%d total: %d from CDS/AOT archive, %d JDK from jrt, %d app from jar, %d generated (lambdas, LambdaForms)\n",
              total, shared, jdk, app, gen }' "$f"
    rm -f -- "$f"
}

bt='`'
printf '\n| variant | JVM options | spawn -> Ready, median ms | min ms | runs (ms) | classes loaded before exit |\n'
printf '|---|---|---:|---:|---|---|\n'
for name in "${names[@]}"; do
    read -r -a t <<<"${times[$name]}"
    med=$(printf '%s\n' "${t[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    min=$(printf '%s\n' "${t[@]}" | sort -n | head -n 1)
    printf '| %s | %s%s%s | %s | %s | %s | %s |\n' "$name" "$bt" "${opts[$name]//$WORK\//}" "$bt" "$med" "$min" "${t[*]}" \
        "$(count_classes "$name")"
done

# Phase breakdown of the cds variant: JVM uptime at which marker classes load
# (each marks the start of a phase of ServerMain/Server), from -Xlog:class+load
# with uptime decorations, and the VM's own "Create VM" time. Logging slows
# the run a little; read the differences, not the absolute numbers. (Not for
# the AOT variants: an AOT cache loads and links its classes while the VM
# starts, so class loading no longer marks where the program is.)
if ((phases)); then
    for name in cds nocds; do
        read -r -a o <<<"${opts[$name]}"
        start "${o[@]}" "-Xlog:class+load:file=$WORK/phases.log:uptime" "-Xlog:startuptime:file=$WORK/vm.log:uptime"
        wait_ready >/dev/null
        finish
        printf '\nPhases (%s): JVM uptime in ms when each phase begins\n\n' "$name"
        awk '/Create VM/ { sub(/^\[/, ""); sub(/s\].*/, ""); printf "  %7.1f  VM created (Create VM)\n", $0 * 1000 }' "$WORK/vm.log"
        awk -v q="'" '
            BEGIN {
                m["lossmeter.server.ServerMain"] = "main() entered"
                m["lossmeter.server.config.ServerConfig"] = "config: ServerConfig directive table"
                m["lossmeter.server.log.Log"] = "config parsed; Log created"
                m["lossmeter.server.command.CommandTable"] = "command table (lambdas per command)"
                m["lossmeter.server.keyspace.Database"] = "keyspace (Database, SecureRandom seed)"
                m["lossmeter.server.command.Dispatcher"] = "dispatcher"
                m["lossmeter.server.net.EventLoop"] = "event loop (Selector)"
                m["java.time.zone.ZoneRulesProvider"] = "first log line (time zone, CLDR month names)"
                m["java.nio.channels.ServerSocketChannel"] = "listen"
                m["lossmeter.server.aof.AofLoader"] = "AOF load"
                m["lossmeter.server.aof.AofWriter"] = "AOF open (create + fsync file and dir)"
                m["java.util.concurrent.LinkedBlockingQueue"] = "bio_aof_fsync thread; Ready follows"
            }
            {
                t = $1; gsub(/[\[\]s]/, "", t); cls = $2
                if (cls in m && !(cls in seen)) { seen[cls] = 1; printf "  %7.1f  %s\n", t * 1000, m[cls] }
            }' "$WORK/phases.log"
        rm -f -- "$WORK/phases.log" "$WORK/vm.log"
    done
fi
