#!/usr/bin/env bash
#
# bench/server-vs-redis.sh — throughput and startup time of the bundled server
# (./lossmeter server) against the real redis-server, under each appendfsync
# policy, with redis-benchmark. See bench/README.md for how to read the output.
#
#   bench/server-vs-redis.sh [--quick] [--policies always,everysec,no]
#                            [--tests incr,lpush] [--repeat R]
#                            [--no-startup | --startup-only]
#
# --repeat R runs the whole throughput matrix R times (alternating which server
# goes first) and reports the median of each cell; use it on a busy machine.
#
# Environment:
#   BENCH_N             requests per run without pipelining (default 100000)
#   BENCH_N_PIPELINED   requests per run with -P 16 (default 2 x BENCH_N)
#   BENCH_CLIENTS       redis-benchmark -c (default 50)
#   BENCH_STARTUP_RUNS  startup measurements per server, median reported (default 5)
#   BENCH_REPEAT        default for --repeat (1)
#   BENCH_TMPDIR        where the servers' data directories go (default $TMPDIR or
#                       /tmp); it must be a real disk for appendfsync to mean anything
#   LOSSMETER_SERVER_JAVA_OPTS  passed through to ./lossmeter (JVM options of ours)
#
# One server runs at a time (the machine this was written for has 2 cores and
# redis-benchmark needs one of them). Every server is started by this script,
# tracked by PID and stopped by PID (SIGTERM, then SIGKILL after 15 s) on exit,
# Ctrl-C or SIGTERM; nothing is ever killed by name.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter
RESULTS_DIR=$BENCH_DIR/results

usage() {
    sed -n '3,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    printf 'server-vs-redis: %s\n' "$*" >&2
    exit 1
}

# ---- options ------------------------------------------------------------------------------------

policies_arg=always,everysec,no
tests_arg=incr,lpush
quick=0
do_startup=1
do_throughput=1
repeat=${BENCH_REPEAT:-1}
while (($# > 0)); do
    case $1 in
        --quick) quick=1 ;;
        --policies) (($# >= 2)) || die "--policies needs a value"; policies_arg=$2; shift ;;
        --policies=*) policies_arg=${1#*=} ;;
        --tests) (($# >= 2)) || die "--tests needs a value"; tests_arg=$2; shift ;;
        --tests=*) tests_arg=${1#*=} ;;
        --repeat) (($# >= 2)) || die "--repeat needs a value"; repeat=$2; shift ;;
        --repeat=*) repeat=${1#*=} ;;
        --no-startup) do_startup=0 ;;
        --startup-only) do_throughput=0 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
    shift
done

IFS=, read -r -a policies <<<"$policies_arg" || true
((${#policies[@]} > 0)) || die "--policies is empty"
for p in "${policies[@]}"; do
    case $p in always | everysec | no) ;; *) die "unknown policy '$p' (always, everysec, no)" ;; esac
done
[[ $tests_arg =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ ]] || die "bad --tests '$tests_arg' (e.g. incr,lpush)"

if ((quick)); then
    n_plain=${BENCH_N:-5000}
else
    n_plain=${BENCH_N:-100000}
fi
n_pipelined=${BENCH_N_PIPELINED:-$((2 * n_plain))}
clients=${BENCH_CLIENTS:-50}
startup_runs=${BENCH_STARTUP_RUNS:-5}
for v in n_plain n_pipelined clients startup_runs repeat; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
done

((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or newer (for \$EPOCHREALTIME)"
for tool in redis-server redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH"
done
[[ -x $LAUNCHER ]] || die "launcher not found: $LAUNCHER"

# ---- process and temp-dir bookkeeping -----------------------------------------------------------

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/server-vs-redis.XXXXXX")
declare -a PIDS=()

# shellcheck source=lib/processes.sh
source "${BASH_SOURCE[0]%/*}/lib/processes.sh"

cleanup() {
    local pid
    trap - EXIT INT TERM
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        stop_pid "$pid"
    done
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- helpers ------------------------------------------------------------------------------------

# Microseconds since the epoch, from bash's own clock (no fork).
now_us() {
    local t=${EPOCHREALTIME/[.,]/}
    printf '%s\n' "$((10#$t))"
}

# A TCP port on 127.0.0.1 that nothing listens on, below the usual ephemeral
# range (32768+) so that outgoing connections do not grab it in the meantime.
free_port() {
    local port i
    for ((i = 0; i < 200; i++)); do
        port=$((((RANDOM << 15) | RANDOM) % 22000 + 10000))
        # Connecting succeeds only if something listens there.
        if ! (: <>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free port found"
}

# start_server KIND POLICY DIR PORT LOG — starts one server in the background
# and records its PID in PIDS and in STARTED_PID. KIND is ours or redis.
start_server() {
    local kind=$1 policy=$2 dir=$3 port=$4 log=$5
    case $kind in
        ours)
            # LOSSMETER_NO_BUILD: the build was done up front; a source edited
            # by someone else mid-run must not turn a start into a build. The
            # launcher execs java, so $! is the JVM's PID.
            LOSSMETER_NO_BUILD=1 "$LAUNCHER" server --port "$port" --dir "$dir" \
                --appendonly yes --appendfsync "$policy" --save "" >"$log" 2>&1 &
            ;;
        redis)
            redis-server --port "$port" --bind 127.0.0.1 --daemonize no --dir "$dir" \
                --appendonly yes --appendfsync "$policy" --save "" >"$log" 2>&1 &
            ;;
    esac
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

# wait_pong PID PORT — polls `redis-cli ping` every 5 ms until PONG. Fails if
# the process exits first or after 120 s.
wait_pong() {
    local pid=$1 port=$2 deadline reply
    deadline=$(($(now_us) + 120000000))
    while :; do
        reply=$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) || reply=
        [[ $reply == PONG ]] && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        (($(now_us) < deadline)) || return 1
        sleep 0.005
    done
}

# launch KIND POLICY — starts a server on a fresh dir and port, waits for PONG.
# Sets SRV_PID, SRV_PORT, SRV_DIR, SRV_LOG, SRV_T0 (spawn time, µs) and
# SRV_T1 (PONG time, µs). Retries on another port if the server died early
# (e.g. the port got taken between the check and the bind).
launch() {
    local kind=$1 policy=$2 attempt
    for attempt in 1 2 3 4 5; do
        SRV_DIR=$(mktemp -d "$WORK/$kind-$policy.XXXXXX")
        SRV_LOG=$SRV_DIR.log
        SRV_PORT=$(free_port)
        SRV_T0=$(now_us)
        start_server "$kind" "$policy" "$SRV_DIR" "$SRV_PORT" "$SRV_LOG"
        SRV_PID=$STARTED_PID
        if wait_pong "$SRV_PID" "$SRV_PORT"; then
            SRV_T1=$(now_us)
            return 0
        fi
        printf 'server-vs-redis: %s (attempt %s, port %s) did not answer PING; log tail:\n' \
            "$kind" "$attempt" "$SRV_PORT" >&2
        tail -n 15 "$SRV_LOG" >&2 || true
        stop_pid "$SRV_PID"
        rm -rf -- "$SRV_DIR" "$SRV_LOG"
    done
    die "could not start $kind"
}

# finish — stops the current server and removes its data.
finish() {
    stop_pid "$SRV_PID"
    rm -rf -- "$SRV_DIR" "$SRV_LOG"
}

# Milliseconds from spawn (SRV_T0) to the 'Ready to accept connections' log
# line, from the line's own timestamp ("dd Mon yyyy HH:MM:SS.mmm", the same
# format in both servers). Empty if GNU date cannot parse it.
ready_line_ms() {
    local line stamp secs
    line=$(grep -m 1 'Ready to accept connections' "$SRV_LOG" 2>/dev/null) || return 0
    stamp=$(awk '{print $2, $3, $4, $5}' <<<"$line")
    secs=$(date -d "$stamp" +%s.%N 2>/dev/null) || return 0
    awk -v s="$secs" -v t0="$SRV_T0" 'BEGIN { printf "%.1f\n", s * 1000 - t0 / 1000 }'
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
        END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# bench PORT N PIPELINE — runs redis-benchmark and prints "NAME RPS" lines.
bench() {
    local port=$1 n=$2 pipeline=$3 out
    local -a cmd=(redis-benchmark -h 127.0.0.1 -p "$port" -t "$tests_arg" -c "$clients" -n "$n" -q)
    ((pipeline > 1)) && cmd+=(-P "$pipeline")
    out=$("${cmd[@]}" 2>&1 </dev/null) || die "redis-benchmark failed: $out"
    # -q still draws progress with carriage returns; the final line of each
    # test is "NAME: 12345.67 requests per second, p50=… msec".
    tr '\r' '\n' <<<"$out" | awk -F': ' '/ requests per second/ {
        name = $1; sub(/^[ \t]+/, "", name); split($2, f, " "); print name "\t" f[1] }'
}

# ---- environment --------------------------------------------------------------------------------

printf 'Building (if needed) with %s server --version …\n' "$LAUNCHER" >&2
# The launcher's build messages go to stderr (the terminal), the version to us.
ours_version=$("$LAUNCHER" server --version) || die "build or launch of our server failed (see above); LOSSMETER_NO_BUILD=1 uses the jar already built"
java_home=$("$LAUNCHER" --print-java-home)
java_version=$("$java_home/bin/java" -version 2>&1 | sed -n '1p')
redis_version=$(redis-server --version)
server_jar=$ROOT/target-server/target/target-server.jar
server_aot=$ROOT/target-server/target/server.aot
# Mirrors the launcher's choice of JVM options, for the report only.
if [[ -n ${LOSSMETER_SERVER_JAVA_OPTS+x} ]]; then
    jvm_mode="LOSSMETER_SERVER_JAVA_OPTS='$LOSSMETER_SERVER_JAVA_OPTS'"
elif [[ -f $server_aot && ! $server_aot -ot $server_jar ]]; then
    jvm_mode="launcher default with AOT cache (-XX:+UseSerialGC -XX:AOTCache=target-server/target/server.aot)"
else
    jvm_mode="launcher default, no AOT cache (-XX:+UseSerialGC -Xshare:auto)"
fi
tmp_fs=$(df -PT "$WORK" 2>/dev/null | awk 'NR == 2 { print $2 }') || tmp_fs=
[[ -n $tmp_fs ]] || tmp_fs=$(stat -f -c %T "$WORK" 2>/dev/null || echo unknown)
if [[ $tmp_fs == tmpfs || $tmp_fs == ramfs ]]; then
    printf 'server-vs-redis: WARNING: %s is on %s, where fsync costs nothing; set BENCH_TMPDIR to a disk\n' \
        "$WORK" "$tmp_fs" >&2
fi
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
# Other work on the machine skews both servers, but not equally (the JVM has
# more threads to schedule); say so rather than hide it.
if awk -v l="${load_start%% *}" -v n="$(nproc 2>/dev/null || echo 1)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
    printf 'server-vs-redis: WARNING: load average %s on %s cores: other processes are busy; numbers will be noisy\n' \
        "$load_start" "$(nproc 2>/dev/null || echo '?')" >&2
fi
stamp=$(date +%Y%m%d-%H%M%S)

# ---- startup ------------------------------------------------------------------------------------

declare -A startup_pong=() startup_ready=()
if ((do_startup)); then
    for kind in ours redis; do
        pong=() ready=()
        for ((i = 1; i <= startup_runs; i++)); do
            launch "$kind" everysec
            pong+=("$(awk -v a="$SRV_T0" -v b="$SRV_T1" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }')")
            r=$(ready_line_ms)
            [[ -n $r ]] && ready+=("$r")
            finish
        done
        startup_pong[$kind]="$(median "${pong[@]}") (runs: ${pong[*]})"
        if ((${#ready[@]} > 0)); then
            startup_ready[$kind]="$(median "${ready[@]}") (runs: ${ready[*]})"
        else
            startup_ready[$kind]="n/a"
        fi
        printf 'startup %-5s spawn->PONG median %s ms; spawn->Ready log line median %s ms\n' \
            "$kind" "${startup_pong[$kind]}" "${startup_ready[$kind]}" >&2
    done
fi

# ---- throughput ---------------------------------------------------------------------------------

# rps[policy|test|pipeline|kind] = the measured req/s of every repetition,
# space-separated; rows keeps the order in which the cells first appeared.
declare -A rps=()
declare -a rows=()
if ((do_throughput)); then
    for ((rep = 1; rep <= repeat; rep++)); do
        kinds=(ours redis)
        ((rep % 2 == 0)) && kinds=(redis ours)
        for policy in "${policies[@]}"; do
            for kind in "${kinds[@]}"; do
                launch "$kind" "$policy"
                for pipeline in 1 16; do
                    n=$n_plain
                    ((pipeline > 1)) && n=$n_pipelined
                    # Warm-up: the same test once, thrown away (JIT for ours;
                    # the same for redis so both are measured in the same state).
                    printf '[%s/%s] %-8s %-5s P=%-2s warm-up  (n=%s)…\n' "$rep" "$repeat" "$policy" "$kind" "$pipeline" "$n" >&2
                    bench "$SRV_PORT" "$n" "$pipeline" >/dev/null
                    printf '[%s/%s] %-8s %-5s P=%-2s measured (n=%s)…\n' "$rep" "$repeat" "$policy" "$kind" "$pipeline" "$n" >&2
                    measured=$(bench "$SRV_PORT" "$n" "$pipeline")
                    [[ -n $measured ]] || die "redis-benchmark printed no 'requests per second' line"
                    while IFS=$'\t' read -r name value; do
                        name=$(tr '[:upper:]' '[:lower:]' <<<"$name")
                        key="$policy|$name|$pipeline"
                        if [[ -z ${rps[$key|ours]+x} && -z ${rps[$key|redis]+x} ]]; then
                            rows+=("$key")
                        fi
                        rps[$key|$kind]="${rps[$key|$kind]:+${rps[$key|$kind]} }$value"
                    done <<<"$measured"
                done
                finish
            done
        done
    done
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# ---- report -------------------------------------------------------------------------------------

mkdir -p "$RESULTS_DIR"
if [[ ! -f $RESULTS_DIR/.gitignore ]]; then
    printf '*\n!.gitignore\n' >"$RESULTS_DIR/.gitignore"
fi
result_file=$RESULTS_DIR/server-vs-redis-$stamp.md

report() {
    local key policy name pipeline ours redis ratio min_ratio="" min_row=""
    printf '# server-vs-redis %s\n\n' "$stamp"
    printf -- '- ours: %s, %s, %s (git %s)\n' "$ours_version" "$java_version" "$jvm_mode" "$git_rev"
    printf -- '- redis: %s\n' "$redis_version"
    printf -- '- redis-benchmark -c %s -n %s (no pipeline) / -n %s (-P 16), tests %s, %s repetition(s); each measured run follows a discarded warm-up run of the same test on the same server process\n' \
        "$clients" "$n_plain" "$n_pipelined" "$tests_arg" "$repeat"
    printf -- '- %s cores, load average %s at start, %s at end; data dirs on %s\n' \
        "$(nproc 2>/dev/null || echo '?')" "$load_start" "$load_end" "$tmp_fs"
    if ((do_startup)); then
        printf '\n## Startup to ready (empty dir, appendonly yes, everysec), median of %s\n\n' "$startup_runs"
        printf '| server | spawn -> PING answered (ms) | spawn -> "Ready" log line (ms) |\n'
        printf '|---|---:|---:|\n'
        printf '| ours | %s | %s |\n' "${startup_pong[ours]}" "${startup_ready[ours]}"
        printf '| redis | %s | %s |\n' "${startup_pong[redis]}" "${startup_ready[redis]}"
    fi
    if ((do_throughput)); then
        printf '\n## Throughput\n\n'
        printf '| policy | test | pipeline | ours req/s | redis req/s | ratio ours/redis |\n'
        printf '|---|---|---:|---:|---:|---:|\n'
        for key in "${rows[@]}"; do
            IFS='|' read -r policy name pipeline <<<"$key"
            # shellcheck disable=SC2086 # the lists are split on purpose
            ours=$(median ${rps[$key|ours]:-})
            # shellcheck disable=SC2086
            redis=$(median ${rps[$key|redis]:-})
            ratio=n/a
            if [[ -n $ours && -n $redis ]]; then
                ratio=$(awk -v a="$ours" -v b="$redis" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
                if [[ $ratio != n/a ]] && { [[ -z $min_ratio ]] || awk -v a="$ratio" -v b="$min_ratio" 'BEGIN { exit !(a < b) }'; }; then
                    min_ratio=$ratio
                    min_row="$policy $name P=$pipeline"
                fi
            fi
            printf '| %s | %s | %s | %s | %s | %s |\n' "$policy" "$name" "$pipeline" \
                "$(awk -v x="${ours:-0}" 'BEGIN { printf "%.0f", x }')" \
                "$(awk -v x="${redis:-0}" 'BEGIN { printf "%.0f", x }')" "$ratio"
        done
        printf '\nMinimum ratio ours/redis: %s (%s)\n' "${min_ratio:-n/a}" "${min_row:-none}"
        if ((repeat > 1)); then
            printf '\nMedians of %s repetitions. Every run (req/s):\n\n' "$repeat"
            printf '| policy | test | pipeline | ours | redis |\n|---|---|---:|---|---|\n'
            for key in "${rows[@]}"; do
                IFS='|' read -r policy name pipeline <<<"$key"
                printf '| %s | %s | %s | %s | %s |\n' "$policy" "$name" "$pipeline" \
                    "$(awk '{ for (i = 1; i <= NF; i++) printf "%s%.0f", (i > 1 ? " " : ""), $i }' <<<"${rps[$key|ours]:-}")" \
                    "$(awk '{ for (i = 1; i <= NF; i++) printf "%s%.0f", (i > 1 ? " " : ""), $i }' <<<"${rps[$key|redis]:-}")"
            done
        fi
    fi
}

report | tee "$result_file"
printf '\nWritten to %s\n' "${result_file#"$ROOT"/}" >&2
