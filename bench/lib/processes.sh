# Sourced by the bench scripts: stopping the servers they started, by PID only.

# stop_pid PID [SECONDS]: SIGTERM (servers fsync the AOF and exit), SIGKILL if the
# process is still there after SECONDS (default 15), then reap it and drop it from
# the caller's PIDS array, if it keeps one.
stop_pid() {
    local pid=$1 ticks=$(( ${2:-15} * 100 )) i
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < ticks; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.01
        done
        if kill -0 "$pid" 2>/dev/null; then
            printf '%s: PID %s ignored SIGTERM for %s s; sending SIGKILL\n' "${0##*/}" "$pid" "${2:-15}" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    local -a keep=()
    for i in ${PIDS[@]+"${PIDS[@]}"}; do
        [[ $i == "$pid" ]] || keep+=("$i")
    done
    PIDS=(${keep[@]+"${keep[@]}"})
}
