#!/usr/bin/env bash
#
# bench/checker.sh — how the checker's cost grows with the history: simulates a
# correct server (workloads' test-side ServerSimulator) for histories of 10k,
# 100k and 1M ops with crashes and timed-out ops, times Checker.check on each
# (warm-up first, median of several runs), and prints ops/s per size and the
# ratios of consecutive sizes. See bench/README.md ("Checker cost") for how to
# read the output.
#
#   bench/checker.sh [--quick] [--no-build] [CheckerBench options...]
#
#   --quick      sizes 10k,100k only, 3 runs (a minute instead of several)
#   --no-build   reuse workloads/target/{classes,test-classes} as they are
#   anything else goes to CheckerBench; e.g. --sizes 10000,100000,1000000
#   --runs 5 --warmup 3 --workload mixed --keys 16 --processes 16 --crashes 3
#   --timeouts 0.01 --seed 1 --damaged --faults kill,power-loss-no
#   --window-ms 100 (CheckerBench's usage text, in
#   workloads/src/test/java/lossmeter/workloads/bench/CheckerBench.java,
#   says what each one does)
#
# Environment:
#   LOSSMETER_JAVA_HOME, JAVA_HOME
#                         the JDK 25 to use, found as ./lossmeter does (scripts/jdk.sh)
#   CHECKER_BENCH_HEAP    -Xmx for the benchmark JVM (default 6g; 1M ops need ~2g)
#   MVN_OFFLINE           set to 0 to let Maven download what it lacks (default 1: -o)
#
# The result table is also written to bench/results/checker-<timestamp>.md.

set -euo pipefail

BENCH_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname -- "$BENCH_DIR")
RESULTS_DIR=$BENCH_DIR/results

usage() {
    sed -n '3,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    printf 'checker-bench: %s\n' "$*" >&2
    exit 1
}

build=1
declare -a bench_args=()
while (($# > 0)); do
    case $1 in
        --quick) bench_args+=(--sizes "10000,100000" --runs 3) ;;
        --no-build) build=0 ;;
        -h | --help) usage; exit 0 ;;
        *) bench_args+=("$1") ;;
    esac
    shift
done

# shellcheck source=scripts/jdk.sh
. "$ROOT/scripts/jdk.sh"
lossmeter_find_jdk || exit 2
JAVA=$JAVA_HOME/bin/java
[[ -x $JAVA ]] || die "no java at $JAVA"

declare -a mvn=("$ROOT/mvnw" -q -B)
if [[ ${MVN_OFFLINE:-1} == 1 ]]; then mvn+=(-o); fi

cd -- "$ROOT"
if ((build)); then
    printf 'checker-bench: compiling workloads (main and test classes)...\n' >&2
    "${mvn[@]}" -pl workloads test-compile >&2 || die "build failed"
fi
[[ -d workloads/target/test-classes/lossmeter/workloads/bench ]] || die "workloads test classes missing; run without --no-build"

cp_file=$(mktemp "${TMPDIR:-/tmp}/checker-bench-cp.XXXXXX")
trap 'rm -f -- "$cp_file"' EXIT
"${mvn[@]}" -pl workloads dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2 \
    || die "could not resolve the test classpath"
classpath=$ROOT/workloads/target/classes:$ROOT/workloads/target/test-classes:$(<"$cp_file")

mkdir -p "$RESULTS_DIR"
if [[ ! -f $RESULTS_DIR/.gitignore ]]; then
    printf '*\n!.gitignore\n' >"$RESULTS_DIR/.gitignore"
fi
result_file=$RESULTS_DIR/checker-$(date +%Y%m%d-%H%M%S).md

"$JAVA" "-Xmx${CHECKER_BENCH_HEAP:-6g}" -XX:+UseParallelGC -cp "$classpath" \
    lossmeter.workloads.bench.CheckerBench ${bench_args[@]+"${bench_args[@]}"} | tee "$result_file"
printf '\nchecker-bench: written to %s\n' "${result_file#"$ROOT"/}" >&2
