#!/usr/bin/env bash
#
# bench/containers.sh — what a container node costs and what two at once buy, in one run, with
# the same campaign (same seed) every time:
#
#   local        the campaign on this machine, one trial at a time (the peer every ratio is against)
#   container-1  --nodes container: each trial in a fresh container, one at a time
#   container-2  --nodes container:2: two containers at once
#
# For each it prints the campaign's wall time and its ratio to local, the wall time per trial
# (which holds a container's creation and removal), and per crash cycle, from the trials'
# events.log, the mean of each step the harness takes through the node: the fault (from the
# crash mark to the fault's return), the death (until the node says the group is gone), the
# restart (until the new target is started) and the read-back (until it answered and its whole
# state was read), each with its ratio to local. The image is built (or found) before the first
# timed run, so no run pays for it; the build time is printed apart.
#
#   bench/containers.sh [--trials N] [--duration D] [--crashes N] [--faults LIST]
#
# Needs a Docker daemon that answers, a static busybox, python3, and what ./lossmeter needs.
# Every container is removed by the runs themselves (by id, and by label at the next start).

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter
RESULTS_DIR=$BENCH_DIR/results

TRIALS=4
DURATION=2s
CRASHES=2
FAULTS=kill
while [[ $# -gt 0 ]]; do
    case $1 in
        --trials) TRIALS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --crashes) CRASHES=$2; shift 2 ;;
        --faults) FAULTS=$2; shift 2 ;;
        -h|--help) sed -n '3,22p' "$0"; exit 0 ;;
        *) printf 'containers-bench: unknown option %s\n' "$1" >&2; exit 2 ;;
    esac
done

docker version >/dev/null 2>&1 || { echo "containers-bench: no Docker daemon answers (start dockerd)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "containers-bench: needs python3" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lossmeter-containers-bench.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

SEED=4321
run() {
    local name=$1
    shift
    local out=$WORK/out-$name
    local t0 t1
    t0=$EPOCHREALTIME
    "$LAUNCHER" run --faults "$FAULTS" --policies everysec --trials "$TRIALS" --duration "$DURATION" --crashes "$CRASHES" \
        --seed "$SEED" --out "$out" "$@" >"$WORK/$name.log" 2>&1 || {
        echo "containers-bench: the $name campaign failed:" >&2
        tail -20 "$WORK/$name.log" >&2
        exit 1
    }
    t1=$EPOCHREALTIME
    python3 - "$name" "$out" "$t0" "$t1" "$TRIALS" >>"$WORK/rows" <<'PY'
import glob, os, re, sys
name, out, t0, t1, trials = sys.argv[1:]
wall = float(t1) - float(t0)
steps = {"fault": [], "death": [], "restart": [], "readback": []}
for f in glob.glob(os.path.join(out, "trials", "*", "events.log")):
    mark = logged = dead = started = None
    for line in open(f):
        m = re.match(r"\s*([0-9.]+)s\s+(.*)", line)
        if not m:
            continue
        t, what = float(m.group(1)), m.group(2)
        c = re.match(r"crash \d+: \S+ at (\d+)ms", what)
        if c:
            mark, logged, dead, started = int(c.group(1)) / 1000, t, None, None
        elif what == "target dead" and mark is not None:
            dead = t
        elif what.startswith("started target") and dead is not None and started is None:
            started = t
        elif what.startswith("recovered in") and started is not None:
            steps["fault"].append((logged - mark) * 1000)
            steps["death"].append((dead - logged) * 1000)
            steps["restart"].append((started - dead) * 1000)
            steps["readback"].append((t - started) * 1000)
            mark = None
mean = lambda xs: sum(xs) / max(1, len(xs))
print(name, f"{wall:.1f}", f"{wall / int(trials):.1f}", *(f"{mean(steps[k]):.0f}" for k in ("fault", "death", "restart", "readback")))
PY
}

"$LAUNCHER" --version >/dev/null  # builds once if the sources changed
export LOSSMETER_NO_BUILD=1
# The image: built here when missing (timed apart), so that no timed run pays for it.
t0=$EPOCHREALTIME
"$LAUNCHER" run --nodes container --faults kill --policies always --trials 1 --duration 1s --crashes 1 --seed 1 \
    --out "$WORK/warm" >"$WORK/warm.log" 2>&1 || { tail -20 "$WORK/warm.log" >&2; exit 1; }
t1=$EPOCHREALTIME
built=$(grep -o 'built lossmeter-node:[0-9a-f]* in [0-9.]*s' "$WORK/warm.log" || echo "image already built (cached)")

run local
run container-1 --nodes container
run container-2 --nodes container:2

mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/containers-$(date +%Y%m%d-%H%M%S).txt
{
    echo "bench/containers.sh: $TRIALS trials x $FAULTS, everysec, $DURATION per cycle, $CRASHES crashes + final restart, seed $SEED; $(nproc) cores"
    echo "warm-up campaign (1 trial, container): $(python3 -c "print('%.1f' % ($t1 - $t0))")s; $built"
    printf '%-12s %7s %6s %8s %6s %8s %6s %8s %6s %9s %6s %9s %6s\n' run wall_s ratio trial_s ratio fault_ms ratio death_ms ratio \
        restart_ms ratio readback_ms ratio
    read -r -a L < <(grep '^local ' "$WORK/rows")
    while read -r -a R; do
        python3 - "${R[@]}" "${L[@]}" <<'PY'
import sys
a = sys.argv[1:]
row, loc = a[:7], a[7:]
f = lambda x, y: "%.2f" % (float(x) / float(y)) if float(y) > 0 else "-"
cells = [row[0]]
for i in range(1, 7):
    cells += [row[i], f(row[i], loc[i])]
print("%-12s %7s %6s %8s %6s %8s %6s %8s %6s %9s %6s %9s %6s" % tuple(cells))
PY
    done <"$WORK/rows"
    read -r -a C1 < <(grep '^container-1 ' "$WORK/rows")
    read -r -a C2 < <(grep '^container-2 ' "$WORK/rows")
    python3 -c 'import sys; print("container:2 vs container:1 wall time: %.2f" % (float(sys.argv[2]) / float(sys.argv[1])))' "${C1[1]}" "${C2[1]}"
} | tee "$report"
echo "saved $report"
