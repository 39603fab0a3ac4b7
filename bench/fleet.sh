#!/usr/bin/env bash
#
# bench/fleet.sh — what spreading a campaign over nodes buys and what an SSH node costs, in
# one run, with the same campaign (same seed) every time:
#
#   local       the campaign on this machine, one trial at a time (the peer every ratio is against)
#   parallel-2  on this machine, --parallel 2
#   ssh-1       on one SSH node (a real OpenSSH server on 127.0.0.1)
#   ssh-2       on two SSH nodes (127.0.0.1 and 127.0.0.2)
#
# For each it prints the campaign's wall time and its ratio to local, and per crash cycle the
# harness's own time from the crash to the state read back (death, restart, readiness, read-back:
# the mean over every crash, from the trials' events.log) and the target's recovery time (the
# mean recoveryMs of crashes.json), each with its ratio to local. Then bench/NodeOps.java times the node operations a cycle is made of (a
# command, a file written and read, a process group started/checked/killed, a round trip over a
# Unix socket on the node: how lossyfs's control socket is reached) locally and over SSH.
#
#   bench/fleet.sh [--trials N] [--duration D] [--crashes N] [--faults LIST]
#
# Needs /usr/sbin/sshd and ssh-keygen (Debian: openssh-server), python3, and what ./lossmeter
# needs. The two sshd run as this user on free loopback ports with keys made in a temp dir;
# they are stopped by PID at exit, with everything they started. Nothing is killed by name.

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
        -h|--help) sed -n '3,20p' "$0"; exit 0 ;;
        *) printf 'fleet-bench: unknown option %s\n' "$1" >&2; exit 2 ;;
    esac
done

SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[[ -x $SSHD ]] || { echo "fleet-bench: no sshd (apt-get install openssh-server)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "fleet-bench: needs python3" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lossmeter-fleet-bench.XXXXXX")
SSHD_PIDS=()
cleanup() {
    local pid
    for pid in "${SSHD_PIDS[@]+"${SSHD_PIDS[@]}"}"; do
        # The listener and the sessions it forked: stop the whole tree, by PID.
        local kids
        kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        kill -s KILL "$pid" $kids 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf -- "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1]); s.close()' "$1"
}

ssh-keygen -q -t ed25519 -N '' -f "$WORK/user"
: >"$WORK/known_hosts"
mkdir -p /run/sshd 2>/dev/null || true
NODES=()
for addr in 127.0.0.1 127.0.0.2; do
    d=$WORK/sshd-$addr
    mkdir -p "$d"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host"
    port=$(free_port "$addr")
    cat >"$d/config" <<CONF
ListenAddress $addr:$port
HostKey $d/host
AuthorizedKeysFile $WORK/user.pub
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
MaxSessions 64
Subsystem sftp internal-sftp
PidFile $d/pid
CONF
    "$SSHD" -D -e -f "$d/config" -E "$d/log" &
    SSHD_PIDS+=($!)
    echo "[$addr]:$port $(cut -d' ' -f1,2 "$d/host.pub")" >>"$WORK/known_hosts"
    NODES+=("ssh://$(id -un)@$addr:$port")
done
for _ in $(seq 100); do
    ok=1
    for n in "${NODES[@]}"; do
        hp=${n#*@}
        (exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}") 2>/dev/null || ok=0
    done
    [[ $ok == 1 ]] && break
    sleep 0.1
done

SEED=1234
SSH_OPTS=(--ssh-key "$WORK/user" --ssh-known-hosts "$WORK/known_hosts" --ssh-work-dir "$WORK/nodes")
run() {
    local name=$1
    shift
    local out=$WORK/out-$name
    local t0 t1
    t0=$EPOCHREALTIME
    LOSSMETER_NO_BUILD=${LOSSMETER_NO_BUILD:-} "$LAUNCHER" run --faults "$FAULTS" --policies everysec --trials "$TRIALS" \
        --duration "$DURATION" --crashes "$CRASHES" --seed "$SEED" --out "$out" "$@" >"$WORK/$name.log" 2>&1 || {
        echo "fleet-bench: the $name campaign failed:" >&2
        tail -20 "$WORK/$name.log" >&2
        exit 1
    }
    t1=$EPOCHREALTIME
    python3 - "$name" "$out" "$t0" "$t1" >>"$WORK/rows" <<'PY'
import json, sys, glob, os, re
name, out, t0, t1 = sys.argv[1:]
wall = float(t1) - float(t0)
cycle, rec = [], []
for f in glob.glob(os.path.join(out, "trials", "*", "events.log")):
    crash = None
    for line in open(f):
        m = re.match(r"\s*([0-9.]+)s\s+(.*)", line)
        if not m:
            continue
        t, what = float(m.group(1)), m.group(2)
        if re.match(r"crash \d+:", what):
            crash = t
        elif what.startswith("recovered in") and crash is not None:
            cycle.append((t - crash) * 1000)
            crash = None
for f in glob.glob(os.path.join(out, "trials", "*", "crashes.json")):
    for c in json.load(open(f)).get("crashes", []):
        if c.get("recoveryMs") is not None:
            rec.append(c["recoveryMs"])
mean = lambda xs: sum(xs) / max(1, len(xs))
print(f"{name} {wall:.1f} {mean(cycle):.0f} {mean(rec):.0f}")
PY
}

"$LAUNCHER" --version >/dev/null  # builds once if the sources changed
export LOSSMETER_NO_BUILD=1
run local
run parallel-2 --parallel 2
run ssh-1 --nodes "${NODES[0]}" "${SSH_OPTS[@]}"
run ssh-2 --nodes "${NODES[0]},${NODES[1]}" "${SSH_OPTS[@]}"

JAVA_BIN=$(bash -c 'source "$1/scripts/jdk.sh" && lossmeter_find_jdk >/dev/null && echo "$JAVA_HOME/bin/java"' _ "$ROOT")
"$JAVA_BIN" -cp "$ROOT/harness/target/harness.jar:$ROOT/harness/target/lib/*" "$BENCH_DIR/NodeOps.java" \
    "${NODES[0]}" "$WORK/user" "$WORK/known_hosts" "$WORK/nodes" >"$WORK/ops" 2>"$WORK/ops.err" || {
    echo "fleet-bench: NodeOps failed:" >&2
    cat "$WORK/ops.err" >&2
    exit 1
}

mkdir -p "$RESULTS_DIR"
report=$RESULTS_DIR/fleet-$(date +%Y%m%d-%H%M%S).txt
{
    echo "bench/fleet.sh: $TRIALS trials x $FAULTS, everysec, $DURATION per cycle, $CRASHES crashes + final restart, seed $SEED; $(nproc) cores"
    printf '%-11s %9s %8s %22s %8s %18s %8s\n' run wall_s vs_local 'crash→read-back_ms' vs_local 'recovery_ms(mean)' vs_local
    read -r _ lwall lcycle lrec < <(grep '^local ' "$WORK/rows")
    while read -r name wall cycle rec; do
        python3 -c 'import sys; n,w,c,r,lw,lc,lr=sys.argv[1:]; f=lambda a,b: "%.2f" % (float(a)/float(b)) if float(b)>0 else "-"; print("%-11s %9s %8s %22s %8s %18s %8s" % (n,w,f(w,lw),c,f(c,lc),r,f(r,lr)))' \
            "$name" "$wall" "$cycle" "$rec" "$lwall" "$lcycle" "$lrec"
    done <"$WORK/rows"
    echo
    echo "node operations, local vs one SSH node (bench/NodeOps.java):"
    cat "$WORK/ops"
} | tee "$report"
echo "saved $report"
