#!/usr/bin/env bash
#
# bench/explore-switches.sh — explore against each of the bundled server's unsafe switches (each
# breaks one step of the durability promise on purpose), then against the correct server:
#
#   for every switch: time to find the failure, time to shrink it, ops before → after, the
#   shrunk scenario's cycles, clients and keys, how often its replay failed in the explorer, and
#   how often `./lossmeter replay` of it failed, run 3 times as a user runs it (a fresh JVM each);
#   the correct server: explore for --clean-budget, which must find nothing.
#
#   bench/explore-switches.sh [--budget 3m] [--shrink-budget 5m] [--clean-budget 5m] [--seed S]
#                             [--only NAME]
#
# Prints a Markdown table; each run's results dir stays under bench/results/explore-<stamp>/.
# Needs what ./lossmeter needs (FUSE for power-loss and torn-write) and python3.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
LAUNCHER=$ROOT/lossmeter

BUDGET=3m
SHRINK=5m
CLEAN=5m
SEED=1
ONLY=
while [[ $# -gt 0 ]]; do
    case $1 in
        --budget) BUDGET=$2; shift 2 ;;
        --shrink-budget) SHRINK=$2; shift 2 ;;
        --clean-budget) CLEAN=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        -h|--help) sed -n '3,15p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

OUT=$BENCH_DIR/results/explore-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
UNSAFE="--enable-unsafe-durability-switches yes"
SWITCHES=(
    "reply-before-aof-write|--unsafe-reply-before-aof-write yes"
    "reply-before-fsync|--unsafe-reply-before-fsync yes"
    "skip-fsync|--unsafe-skip-fsync yes"
    "fsync-every|--unsafe-fsync-every 50"
    "drop-aof-writes|--unsafe-drop-aof-writes 0.05"
    "forget-flushall|--unsafe-forget-flushall yes"
    "log-half-transaction|--unsafe-log-half-transaction yes"
)

summarize() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys, os
name, d, fresh = sys.argv[1], sys.argv[2], sys.argv[3]
s = json.load(open(os.path.join(d, "explore.json")))
r = s.get("reproducer")
if not r:
    extra = f"; {len(s['unreproduced'])} failure(s) seen once that did not replay" if s.get("unreproduced") else ""
    print(f"| {name} | not found{extra} in {s['elapsedMs']/1000:.0f} s ({s['scenarios']} scenarios) | | | | | | | |")
    sys.exit(0)
o, m = r["original"], r["shrunk"]
print(f"| {name} | {r['kind']} | {r['foundAfterMs']/1000:.1f} s ({r['scenariosRun']} scen.) | {r['shrinkMs']/1000:.0f} s ({r['shrinkRuns']} runs) "
      f"| {o['ops']} → {m['ops']} | {m['cycles']} / {m['clients']} / {m['keys']} | {r['replayFailures']}/{r['replayRuns']} | {fresh} | {m['scenario']} |")
PY
}

echo "| switch | kind | time to find | time to shrink | ops before → after | cycles / clients / keys | replay fails | fresh replays fail | shrunk scenario |"
echo "|---|---|---|---|---|---|---|---|---|"
for entry in "${SWITCHES[@]}"; do
    name=${entry%%|*}
    flags=${entry#*|}
    [[ -n $ONLY && $ONLY != "$name" ]] && continue
    set +e
    "$LAUNCHER" explore --target "bundled:$UNSAFE $flags" --budget "$BUDGET" --shrink-budget "$SHRINK" --seed "$SEED" \
        --out "$OUT/$name" >"$OUT/$name.log" 2>&1
    code=$?
    set -e
    if [[ $code -ne 0 && $code -ne 1 ]]; then echo "| $name | exit $code, see $OUT/$name.log | | | | | | | |"; continue; fi
    fresh=
    if [[ -f $OUT/$name/shrunk/scenario.json ]]; then
        failed=0
        for i in 1 2 3; do
            set +e
            "$LAUNCHER" replay "$OUT/$name/shrunk/scenario.json" --out "$OUT/$name/replay-$i" >"$OUT/$name/replay-$i.log" 2>&1
            [[ $? -eq 1 ]] && failed=$((failed + 1))
            set -e
        done
        fresh="$failed/3"
    fi
    summarize "$name" "$OUT/$name" "$fresh"
done
if [[ -z $ONLY || $ONLY == correct ]]; then
    set +e
    "$LAUNCHER" explore --target bundled --budget "$CLEAN" --seed "$SEED" --out "$OUT/correct" >"$OUT/correct.log" 2>&1
    code=$?
    set -e
    python3 - "$OUT/correct" "$code" <<'PY'
import json, sys, os
d, code = sys.argv[1], sys.argv[2]
s = json.load(open(os.path.join(d, "explore.json")))
print()
print(f"correct server: exit {code}, verdict {s['verdict']}, {s['scenarios']} scenarios, {s['crashes']} crashes checked in "
      f"{s['elapsedMs']/1000:.0f} s; covered: " + ", ".join(f"{k} {v}" for k, v in s['covered'].items()))
PY
fi
echo
echo "results: $OUT"
