#!/usr/bin/env bash
#
# bench/explore-speed.sh — how fast explore and the shrinker can go: every scenario they run is a
# real trial, and what a crash cycle costs beyond its workload is their speed limit. Three peers
# in one run:
#
#   bundled          the bundled server as the launcher starts it (from its AOT cache)
#   bundled-no-aot   the same server without the cache (plain class-data sharing)
#   redis            the real redis-server
#
# 1. Per-cycle overhead: one fixed scenario (kill, no, 2 clients, 2 keys, INCR and RPUSH,
#    --cycles crash cycles of --ops operations each) replayed --repeats times per peer. From the
#    trials' events.log, the mean of each step of a crash cycle: the fault (from the last answer
#    of the cycle to the crash), the death (until the node says the group is gone), the restart
#    (copy of the data dir for the report, spawn), start → PING, the state read-back, and the
#    check (the trial's check divided by its crashes). Their sum is the overhead; the workload
#    (the cycle's ops) is shown apart. Ratios are against redis.
# 2. Throughput: `explore --budget B` per peer, with --faults kill and with --faults power-loss
#    (lossyfs mounted per scenario): scenarios per minute, crash cycles per minute. A failure that
#    explore finds is reported in the outcome column and its results kept under bench/results/.
#
#   bench/explore-speed.sh [--cycles 10] [--ops 100] [--repeats 3] [--budget 60s] [--seed 1]
#                          [--policies always,no] [--no-explore]
#
# Needs what ./lossmeter needs (FUSE for power-loss), redis-server and python3.
# Prints a Markdown report and saves it under bench/results/.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter
RESULTS_DIR=$BENCH_DIR/results

CYCLES=10
OPS=100
REPEATS=3
BUDGET=60s
SEED=1
EXPLORE=1
# Redis 7.0 under everysec can lose acknowledged writes to a plain kill (it postpones the AOF write
# while a background fsync runs, and replies anyway): explore finds that, and a finding is not a
# speed. Without everysec every peer is a correct target.
POLICIES=always,no
while [[ $# -gt 0 ]]; do
    case $1 in
        --cycles) CYCLES=$2; shift 2 ;;
        --ops) OPS=$2; shift 2 ;;
        --repeats) REPEATS=$2; shift 2 ;;
        --budget) BUDGET=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --policies) POLICIES=$2; shift 2 ;;
        --no-explore) EXPLORE=0; shift ;;
        -h|--help) sed -n '3,26p' "$0"; exit 0 ;;
        *) printf 'explore-speed: unknown option %s\n' "$1" >&2; exit 2 ;;
    esac
done
command -v python3 >/dev/null || { echo "explore-speed: needs python3" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "explore-speed: needs redis-server on PATH" >&2; exit 1; }

STAMP=$(date +%Y%m%d-%H%M%S)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lossmeter-explore-speed.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

"$LAUNCHER" --version >/dev/null  # builds once if the sources changed, and trains the server's AOT cache
export LOSSMETER_NO_BUILD=1
[[ -f $ROOT/target-server/target/server.aot ]] ||
    echo "explore-speed: no AOT cache was trained (see target/build.log); 'bundled' runs without one" >&2

PEERS=(bundled bundled-no-aot redis)
# Runs the launcher as peer $1 with the remaining arguments.
as_peer() {
    local peer=$1
    shift
    if [[ $peer == bundled-no-aot ]]; then
        LOSSMETER_SERVER_JAVA_OPTS="-XX:+UseSerialGC -Xshare:auto" "$LAUNCHER" "$@"
    else
        "$LAUNCHER" "$@"
    fi
}
target_of() { [[ $1 == redis ]] && echo redis || echo bundled; }

scenario() {
    python3 - "$1" "$CYCLES" "$OPS" "$SEED" <<'PY'
import json, sys
target, cycles, ops, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(json.dumps({"format": "lossmeter-scenario", "version": 1, "seed": seed, "target": target, "directives": {},
                  "policy": "no", "fault": "kill", "mix": "incr=1,push=1,txn=0,read=0,flush=0", "keys": 2,
                  "clients": 2, "crashPoint": "io", "window": "2s", "opTimeout": "1s",
                  "cycles": [{"ops": ops} for _ in range(cycles)]}))
PY
}

# Part 1: the fixed scenario, replayed.
for peer in "${PEERS[@]}"; do
    scenario "$(target_of "$peer")" >"$WORK/$peer.json"
    for ((r = 1; r <= REPEATS; r++)); do
        code=0
        as_peer "$peer" replay "$WORK/$peer.json" --out "$WORK/replay-$peer-$r" >"$WORK/replay-$peer-$r.log" 2>&1 || code=$?
        if ((code != 0)); then
            echo "explore-speed: the $peer replay exited $code:" >&2
            tail -20 "$WORK/replay-$peer-$r.log" >&2
            exit 1
        fi
    done
done

python3 - "$WORK" "$REPEATS" "${PEERS[@]}" >"$WORK/cycles.md" <<'PY'
import glob, os, re, sys
work, repeats, peers = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
STEPS = ["fault", "death", "restart", "ping", "readback", "check"]
rows = {}
for peer in peers:
    steps = {k: [] for k in STEPS + ["workload", "first_start"]}
    for r in range(1, repeats + 1):
        for f in glob.glob(os.path.join(work, f"replay-{peer}-{r}", "trials", "*", "events.log")):
            lines = []
            for line in open(f):
                m = re.match(r"\s*([0-9.]+)s\s+(.*)", line)
                if m:
                    lines.append((float(m.group(1)) * 1000, m.group(2)))
            kills, check_ms = [], None
            cur, last_ready = None, None
            for t, what in lines:
                if what.startswith("started target") and cur is None and last_ready is None:
                    first = t
                elif what.startswith("ready:"):
                    steps["first_start"].append(t - first)
                    last_ready = t
                elif re.search(r"ops invoked (and answered )?in this cycle$", what):
                    steps["workload"].append(t - last_ready)
                    cur = {"ops": t}
                elif (c := re.match(r"crash \d+: (\S+) at", what)) and cur is not None:
                    cur["fault"], cur["kind"] = t - cur["ops"], c.group(1)
                    cur["crash"] = t
                elif what == "target dead" and cur is not None and "crash" in cur:
                    cur["death"], cur["dead"] = t - cur["crash"], t
                elif what.startswith("started target") and cur is not None and "dead" in cur:
                    cur["restart"], cur["started"] = t - cur["dead"], t
                elif (c := re.match(r"recovered in (\d+)ms", what)) and cur is not None and "started" in cur:
                    cur["ping"] = float(c.group(1))
                    cur["readback"] = (t - cur["started"]) - cur["ping"]
                    kills.append(cur)
                    cur, last_ready = None, t
                elif c := re.match(r"checked \d+ ops against (\d+) crashes in (\d+)ms", what):
                    check_ms = float(c.group(2)) / max(1, int(c.group(1)))
            for k in kills:
                if k["kind"] != "kill":
                    continue
                for s in STEPS[:-1]:
                    steps[s].append(k[s])
                if check_ms is not None:
                    steps["check"].append(check_ms)
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")
    rows[peer] = {k: mean(v) for k, v in steps.items()}
    rows[peer]["n"] = len(steps["fault"])
    rows[peer]["overhead"] = sum(rows[peer][s] for s in STEPS)
ref = rows.get("redis")
cols = STEPS + ["overhead", "workload", "first_start"]
print("| peer | cycles | " + " | ".join(c + " ms" for c in cols) + " | overhead vs redis |")
print("|---|---|" + "---|" * len(cols) + "---|")
for peer in peers:
    r = rows[peer]
    ratio = f"{r['overhead'] / ref['overhead']:.2f}" if ref and ref["overhead"] > 0 else "-"
    print(f"| {peer} | {r['n']} | " + " | ".join(f"{r[c]:.1f}" for c in cols) + f" | {ratio} |")
PY

# Part 2: explore's throughput.
if ((EXPLORE)); then
    for peer in "${PEERS[@]}"; do
        for faults in kill power-loss; do
            out=$WORK/explore-$peer-${faults//,/-}
            code=0
            as_peer "$peer" explore --target "$(target_of "$peer")" --budget "$BUDGET" --seed "$SEED" --faults "$faults" \
                --policies "$POLICIES" --shrink-budget 1s --out "$out" >"$out.log" 2>&1 || code=$?
            if ((code != 0 && code != 1)); then
                echo "explore-speed: explore on $peer ($faults) exited $code:" >&2
                tail -20 "$out.log" >&2
                exit 1
            fi
            if ((code == 1)); then
                mkdir -p "$RESULTS_DIR"
                cp -r "$out" "$RESULTS_DIR/explore-speed-$STAMP-$peer-${faults//,/-}"
            fi
            python3 - "$peer" "$faults" "$out/explore.json" >>"$WORK/explore.rows" <<'PY'
import json, sys
peer, faults, f = sys.argv[1:]
s = json.load(open(f))
minutes = s["elapsedMs"] / 60000
found = "PASS" if s["verdict"] == "PASS" else f"{s['verdict']} ({len(s.get('unreproduced') or [])} unreproduced)"
print(peer, faults, s["scenarios"], s["crashes"], f"{s['elapsedMs'] / 1000:.0f}", f"{s['scenarios'] / minutes:.1f}",
      f"{s['crashes'] / minutes:.1f}", f"{s['elapsedMs'] / max(1, s['crashes']):.0f}", found.replace(" ", "_"))
PY
        done
    done
fi

mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/explore-speed-$STAMP.md
{
    echo "# bench/explore-speed.sh"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(redis-server --version | grep -o 'v=[0-9.]*'), seed $SEED; load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "## Per crash cycle ($CYCLES cycles of $OPS ops, kill, no, 2 clients, 2 keys; $REPEATS replays per peer)"
    echo
    cat "$WORK/cycles.md"
    echo
    echo "overhead = fault + death + restart + ping + readback + check; workload = the cycle's $OPS ops;"
    echo "first_start = the trial's first start until PING (paid once per scenario)."
    if ((EXPLORE)); then
        echo
        echo "## explore --budget $BUDGET --policies $POLICIES --seed $SEED (the same scenarios for every peer)"
        echo
        echo "| peer | faults | scenarios | crash cycles | s | scenarios/min | cycles/min | ms per cycle | outcome |"
        echo "|---|---|---|---|---|---|---|---|---|"
        while read -r -a R; do
            echo "| ${R[0]} | ${R[1]} | ${R[2]} | ${R[3]} | ${R[4]} | ${R[5]} | ${R[6]} | ${R[7]} | ${R[8]//_/ } |"
        done <"$WORK/explore.rows"
        echo
        echo "ms per cycle = the budget over the crash cycles checked: workload, overhead, and each scenario's"
        echo "first start and final restart. An outcome other than PASS is a finding (kept under $RESULTS_DIR)."
    fi
} | tee "$report"
echo "saved $report"
