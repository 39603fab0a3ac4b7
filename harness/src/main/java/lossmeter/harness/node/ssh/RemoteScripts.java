package lossmeter.harness.node.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import lossmeter.faults.node.Shell;

/**
 * The shell an SSH node runs for the harness, POSIX sh only (plus {@code setsid}, {@code flock},
 * {@code timeout} from util-linux and coreutils). Each is a fixed text; values reach it as quoted
 * positional parameters.
 */
final class RemoteScripts {
    private RemoteScripts() {
    }

    /**
     * Starts {@code "$@"} (after the log, cwd, ledger-entry and run-dir arguments) as the leader of
     * a new session, waits until it leads its own group, records the group in the run's ledger, and starts a watcher that waits for the
     * run's lock: the lock is free only once the harness's session is gone (or the run closed), and
     * then the watcher kills the group. Prints {@code <pid> <watcher pid>}.
     */
    static final String START = """
            log=$1 cwd=$2 entry=$3 run=$4
            shift 4
            mkdir -p -- "${log%/*}" || exit 97
            cd -- "$cwd" || exit 97
            setsid "$@" >>"$log" 2>&1 </dev/null &
            p=$!
            # Until setsid(2) has run in the child, its group is not its own yet: wait for that (or for
            # its end), so a check of the group right after this never finds it empty.
            n=0
            while IFS= read -r l <"/proc/$p/stat" 2>/dev/null; do
              set -- ${l##*") "}
              [ "$3" = "$p" ] && break
              n=$((n + 1))
              [ "$n" -gt 100000 ] && break
            done
            echo "$p" >"$entry.$p"
            setsid flock -x "$run/lock" sh -c 'kill -s KILL -- "-$1" 2>/dev/null || kill -s KILL "$1" 2>/dev/null; rm -f -- "$2"' \
              watch "$p" "$entry.$p" </dev/null >/dev/null 2>&1 &
            echo "$p $!"
            """;

    /** Exits 0 when a live (not zombie) process is in group {@code $1}. */
    static final String ALIVE = """
            g=$1
            for f in /proc/[0-9]*/stat; do
              IFS= read -r l <"$f" 2>/dev/null || continue
              set -- ${l##*") "}
              if [ "$3" = "$g" ] && [ "$1" != Z ] && [ "$1" != X ]; then exit 0; fi
            done
            exit 1
            """;

    /**
     * Holds the run's lock for as long as the channel is open: a sweep treats a run dir whose lock
     * is free (and that says it was locked once) as left by a harness that is gone.
     */
    static final String HOLD_LOCK = """
            run=$1
            mkdir -p -- "$run/groups" "$run/mounts" || exit 97
            exec flock -x "$run/lock" sh -c 'touch -- "$1/locked" && echo locked && read -r x' hold "$run"
            """;

    /**
     * Removes what runs whose harness is gone left under {@code $1/runs} (all but run {@code $2}):
     * kills their groups whose members still carry the run's mark, detaches their mounts, deletes
     * their dirs. Prints one line per thing removed.
     */
    static final String SWEEP = """
            runs=$1/runs me=$2
            [ -d "$runs" ] || exit 0
            for d in "$runs"/*/; do
              d=${d%/}; id=${d##*/}
              [ "$id" = "$me" ] && continue
              [ -f "$d/locked" ] || continue
              flock -n "$d/lock" true || continue
              for e in "$d"/groups/*.*; do
                [ -f "$e" ] || continue
                g=${e##*.}
                for f in /proc/[0-9]*/stat; do
                  IFS= read -r l <"$f" 2>/dev/null || continue
                  set -- ${l##*") "}
                  [ "$3" = "$g" ] || continue
                  pid=${f#/proc/}; pid=${pid%/stat}
                  if tr '\\0' '\\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "LOSSMETER_RUN=$id"; then
                    kill -s KILL -- "-$g" 2>/dev/null && echo "killed process group $g of run $id"
                    break
                  fi
                done
              done
              for m in "$d"/mounts/*; do
                [ -f "$m" ] || continue
                mp=$(cat -- "$m")
                if grep -qF " $mp " /proc/self/mountinfo; then
                  umount -l -- "$mp" 2>/dev/null || fusermount3 -uz -- "$mp" 2>/dev/null
                  echo "detached $mp of run $id"
                fi
              done
              rm -rf -- "$d" && echo "removed $d"
            done
            exit 0
            """;

    /** {@code sh -c SCRIPT NAME ARGS…} as one command line. */
    static String line(String script, String name, String... args) {
        StringBuilder sb = new StringBuilder("sh -c ").append(Shell.quote(script)).append(' ').append(name);
        for (String a : args) sb.append(' ').append(Shell.quote(a));
        return sb.toString();
    }

    /** The launcher's JDK search, as a script that prints the JAVA_HOME it found (or its report on stderr, exit 2). */
    static String findJdk() {
        try (InputStream in = RemoteScripts.class.getResourceAsStream("jdk.sh")) {
            if (in == null) throw new IllegalStateException("jdk.sh is missing from the harness's resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    + "\nif lossmeter_find_jdk >/dev/null; then printf 'JAVA_HOME=%s\\n' \"$JAVA_HOME\"; else exit 2; fi\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read jdk.sh: " + e.getMessage(), e);
        }
    }
}
