#!/usr/bin/env bash
#
# scripts/aot-train.sh OUTPUT.aot [JAR] — one JDK 25 AOT training run of the
# bundled server, writing an AOT cache (JEP 483/514/515) to OUTPUT.aot.
#
# This is the step proposed for ./lossmeter to run after a successful build,
# with OUTPUT = target-server/target/server.aot (the launcher already passes
# -XX:AOTCache=that file when it exists and is not older than the jar). It is
# a separate script so it can be tried without touching the launcher:
#
#   scripts/aot-train.sh /tmp/server.aot
#   LOSSMETER_SERVER_JAVA_OPTS="-XX:+UseSerialGC -XX:AOTCache=/tmp/server.aot" ./lossmeter server …
#
# The training run uses exactly the launcher's classpath (the jar's absolute
# path) and GC. The JVM checks the JDK and the classpath's paths, but in JDK
# 25 not the jar's contents: a cache used with a rebuilt jar silently runs the
# old classes. The launcher's "cache not older than the jar" test is what
# keeps that from happening; this script makes sure the cache it writes was
# trained on the jar as it is when the cache lands.
#
# It starts the server on a free port and an empty temp dir, sends a handful
# of inline commands over bash's /dev/tcp (no redis-cli needed), then SIGTERM;
# at exit the JVM writes the cache (it forks a second JVM for that, a few
# seconds). The cache is written to a temp name and moved into place, so a
# concurrent launcher never sees half a file.
#
# Exit status: 0 cache written; 1 training failed (OUTPUT left untouched).

set -euo pipefail

ROOT=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/aot-train.sh OUTPUT.aot [JAR]}
jar=${2:-$ROOT/target-server/target/target-server.jar}
[[ -f $jar ]] || { printf 'aot-train: no jar at %s\n' "$jar" >&2; exit 1; }
jar=$(cd -P -- "$(dirname -- "$jar")" && pwd)/$(basename -- "$jar")
java_home=$("$ROOT/lossmeter" --print-java-home)

dir=$(mktemp -d "${TMPDIR:-/tmp}/aot-train.XXXXXX")
tmp=$out.tmp.$$
pid=
cleanup() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf -- "$dir"
    rm -f -- "$tmp" "$tmp.config"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# JDK 25 does not notice when the jar changes under a cache (tried: a jar
# with another size, mtime and class bytes still got the cached classes, no
# warning), so a jar rewritten during training (by a `./mvnw package` that
# does not take the launcher's lock) must not leave a cache that looks newer
# than it. Its size and mtime are compared before and after.
jar_stamp() { stat -c '%s %y' -- "$jar"; }
stamp_before=$(jar_stamp)
started=$EPOCHREALTIME
: >"$dir/log"
"$java_home/bin/java" -XX:+UseSerialGC "-XX:AOTCacheOutput=$tmp" \
    -cp "$jar" lossmeter.server.ServerMain server --port 0 --dir "$dir/data" \
    --appendonly yes --appendfsync everysec --save "" >"$dir/log" 2>&1 &
pid=$!

port=
for ((i = 0; i < 6000; i++)); do # up to 60 s
    port=$(sed -n 's/.*Ready to accept connections tcp port=\([0-9]*\).*/\1/p' "$dir/log")
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done
if [[ -z $port ]]; then
    printf 'aot-train: the server did not start; log:\n' >&2
    cat "$dir/log" >&2
    exit 1
fi

# A few common commands, so their classes (and lambdas) are loaded and linked
# in the cache and their methods get profiles; replies are read and dropped.
if exec 8<>"/dev/tcp/127.0.0.1/$port"; then
    for round in 1 2 3; do
        printf '%s\r\n' PING "SET k$round v" "GET k$round" "INCR n" "LPUSH l a b" "RPUSH l c" \
            "LRANGE l 0 -1" "LPOP l" "EXPIRE k$round 100" "TTL k$round" "EXISTS k$round" \
            MULTI "INCR n" EXEC "DEL k$round" DBSIZE "CONFIG GET appendfsync" INFO >&8
    done
    printf 'PING\r\n' >&8
    # Read until the last PONG (at most 5 s), so every command was executed.
    pongs=0
    while IFS= read -r -t 5 line <&8; do
        [[ $line == +PONG* ]] && ((++pongs == 4)) && break
    done
    exec 8>&-
fi

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if [[ ! -s $tmp ]]; then
    printf 'aot-train: no cache written (server exit status %s); log:\n' "$status" >&2
    cat "$dir/log" >&2
    exit 1
fi
if [[ $(jar_stamp) != "$stamp_before" ]]; then
    printf 'aot-train: %s changed during training; cache discarded\n' "$jar" >&2
    exit 1
fi
mv -f -- "$tmp" "$out"
elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
printf 'aot-train: wrote %s (%s bytes) in %s s\n' "$out" "$(wc -c <"$out")" "$elapsed" >&2
