#!/usr/bin/env bash
#
# bench/soak.sh — a long campaign against the bundled server that checks lossmeter
# itself: nothing leaks. While the campaign runs it samples, every 15 s, the harness's
# open fds, threads and RSS, and the open fds of every target server it runs; at the
# end it checks that no process of the run, no lossyfs mount and no ledger entry is
# left, and prints the first and last samples side by side.
#
#   bench/soak.sh [--minutes M] [-- extra lossmeter run flags…]
#
# Default campaign (about 20 minutes on 2 cores):
#   --policies everysec --faults kill,power-loss,torn-write,disk-full,fsync-eio,pause
#   --trials 20 --duration 2s --crashes 1 --seed 20261204
# The results go to bench/results/soak-<time>/ with the samples (samples.tsv).
# Processes are found by the harness's pid and its descendants, never by name.

set -euo pipefail
BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
stamp=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/results/soak-$stamp
mkdir -p "$BENCH_DIR/results"
[[ -f $BENCH_DIR/results/.gitignore ]] || printf '*\n!.gitignore\n' >"$BENCH_DIR/results/.gitignore"
extra=()
if [[ ${1:-} == -- ]]; then shift; extra=("$@"); fi

"$ROOT/lossmeter" --version >/dev/null
mounts_before=$(grep -c ' fuse.lossyfs ' /proc/self/mountinfo || true)

descendants() {
    local pid=$1 kids k
    kids=$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)
    for k in $kids; do
        printf '%s\n' "$k"
        descendants "$k"
    done
}

LOSSMETER_NO_BUILD=1 "$ROOT/lossmeter" run --target bundled --policies everysec \
    --faults kill,power-loss,torn-write,disk-full,fsync-eio,pause --trials 20 --duration 2s --crashes 1 \
    --seed 20261204 --out "$OUT" "${extra[@]}" >"$OUT.log" 2>&1 &
launcher=$!
# The launcher execs java: the pid stays the harness's.
printf 'time_s\tharness_fds\tharness_threads\tharness_rss_kb\tharness_heap_after_gc_kb\ttarget_fds\n' >"$OUT.samples.tsv"
JCMD=$("$ROOT/lossmeter" --print-java-home)/bin/jcmd
start=$(date +%s)
while kill -0 "$launcher" 2>/dev/null; do
    fds=$(ls /proc/"$launcher"/fd 2>/dev/null | wc -l)
    threads=$(awk '/^Threads:/ {print $2}' /proc/"$launcher"/status 2>/dev/null || echo 0)
    rss=$(awk '/^VmRSS:/ {print $2}' /proc/"$launcher"/status 2>/dev/null || echo 0)
    # RSS only grows with a lazily sized heap: the live heap after a full GC is what a leak moves.
    heap=""
    if [[ -x $JCMD ]] && "$JCMD" "$launcher" GC.run >/dev/null 2>&1; then
        heap=$("$JCMD" "$launcher" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }')
    fi
    tfds=""
    for p in $(descendants "$launcher"); do
        if tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -q ' server '; then
            tfds="$tfds$(ls /proc/"$p"/fd 2>/dev/null | wc -l),"
        fi
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(($(date +%s) - start))" "$fds" "$threads" "$rss" "$heap" "${tfds%,}" >>"$OUT.samples.tsv"
    sleep 15
done
wait "$launcher" && rc=0 || rc=$?
# Anything still running that was started for this results dir (its data dirs and mounts are in it).
left=0
for c in /proc/[0-9]*/cmdline; do
    if tr '\0' ' ' 2>/dev/null <"$c" | grep -qF -- "$OUT/"; then left=$((left + 1)); fi
done
mounts_after=$(grep -c ' fuse.lossyfs ' /proc/self/mountinfo || true)
{
    printf '# soak (git %s): exit %s after %ss\n' "$(git -C "$ROOT" rev-parse --short HEAD)" "$rc" "$(($(date +%s) - start))"
    tail -n 12 "$OUT.log"
    printf '\nfirst and last samples:\n'
    sed -n '1,3p' "$OUT.samples.tsv"
    tail -n 2 "$OUT.samples.tsv"
    printf '\nmax harness RSS: %s kB; live heap after GC first/last: %s / %s kB; processes left: %s; lossyfs mounts before/after: %s/%s\n' \
        "$(awk -F'\t' 'NR>1 && $4>m {m=$4} END {print m}' "$OUT.samples.tsv")" \
        "$(awk -F'\t' 'NR>2 && $5 != "" {print $5; exit}' "$OUT.samples.tsv")" \
        "$(awk -F'\t' 'NR>2 && $5 != "" {v=$5} END {print v}' "$OUT.samples.tsv")" "$left" "$mounts_before" "$mounts_after"
} | tee "$OUT.summary.md"
