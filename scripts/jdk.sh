# shellcheck shell=bash
#
# Sourced (not run) by ./lossmeter and ./test, so both pick the same JDK the
# same way. Defines lossmeter_find_jdk, which exports JAVA_HOME pointing at a
# JDK 25 or newer, or prints what it saw and how to get one, and returns 2.
#
# Search order: $LOSSMETER_JAVA_HOME, $JAVA_HOME, the usual install places,
# then `java` on PATH. The environment comes first so an explicit choice
# always wins; PATH comes last because on many machines it points at an older
# system JDK (Debian 12's default java is 17).
#
# LOSSMETER_JDK_SEARCH_PATHS (colon-separated glob patterns) replaces the list
# of install places; it exists so the "no JDK found" path can be tested on a
# machine that does have one.
#
# This runs inside callers' `set -euo pipefail` and on every launch, so it
# avoids failing commands outside conditionals, starts no JVM when a `release`
# file answers the question, and sticks to bash 3.2 features (macOS /bin/bash:
# no associative arrays, no expanding empty arrays under `set -u`).

LOSSMETER_MIN_JAVA=25

# Prints the major version of the Java installation at $1, or nothing.
_lossmeter_jdk_major() {
    local home=$1 v=""
    [[ -x $home/bin/java ]] || return 0
    if [[ -r $home/release ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$home/release" 2>/dev/null | head -n 1) || v=""
    fi
    if [[ -z $v ]]; then
        v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.specification\.version = //p' | head -n 1) || v=""
    fi
    # Java 8 and older say "1.8.0_x"; later ones start with the major.
    v=${v#1.}
    v=${v%%[!0-9]*}
    if [[ -n $v ]]; then printf '%s\n' "$v"; fi
    return 0
}

# Checks one candidate directory. On success exports JAVA_HOME and returns 0;
# otherwise appends a line to the caller's _lm_report. Relies on bash's
# dynamic scoping to reach the caller's _lm_report/_lm_seen locals.
_lossmeter_try() {
    local dir=$1 what=$2 canon major
    canon=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || {
        _lm_report="${_lm_report}  $what: no such directory"$'\n'
        return 1
    }
    # Symlinked aliases (java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64)
    # would otherwise be checked and reported twice.
    case $_lm_seen in *$'\n'"$canon"$'\n'*) return 1 ;; esac
    _lm_seen="${_lm_seen}${canon}"$'\n'
    major=$(_lossmeter_jdk_major "$canon")
    if [[ -z $major ]]; then
        _lm_report="${_lm_report}  $what: not a Java installation (no bin/java)"$'\n'
        return 1
    fi
    if ((major < LOSSMETER_MIN_JAVA)); then
        _lm_report="${_lm_report}  $what: Java $major"$'\n'
        return 1
    fi
    # The launcher and ./test build with Maven, which a JRE cannot do.
    if [[ ! -x $canon/bin/javac ]]; then
        _lm_report="${_lm_report}  $what: Java $major, but a JRE (no bin/javac)"$'\n'
        return 1
    fi
    JAVA_HOME=$canon
    LOSSMETER_JAVA_VERSION=$major
    export JAVA_HOME LOSSMETER_JAVA_VERSION
    return 0
}

lossmeter_find_jdk() {
    local _lm_report="" _lm_seen=$'\n' nothing_at="" pattern match sub found
    local java_on_path cand
    local -a patterns

    if [[ -n ${LOSSMETER_JAVA_HOME:-} ]]; then
        _lossmeter_try "$LOSSMETER_JAVA_HOME" "\$LOSSMETER_JAVA_HOME=$LOSSMETER_JAVA_HOME" && return 0
    fi
    if [[ -n ${JAVA_HOME:-} ]]; then
        _lossmeter_try "$JAVA_HOME" "\$JAVA_HOME=$JAVA_HOME" && return 0
    fi

    if [[ -n ${LOSSMETER_JDK_SEARCH_PATHS+x} ]]; then
        IFS=: read -r -a patterns <<<"$LOSSMETER_JDK_SEARCH_PATHS" || true
    else
        # Names containing 25 come first so a machine with both 25 and a
        # newer JDK keeps using the version the project is tested with.
        patterns=(
            '/usr/lib/jvm/*25*'
            '/usr/lib/jvm/*'
            '/opt/java/*'
            '/opt/jdk*'
            '/usr/local/*jdk*'
        )
        if [[ -n ${HOME:-} ]]; then
            patterns+=("$HOME/.sdkman/candidates/java/*" "$HOME/.jdks/*")
        fi
        patterns+=('/Library/Java/JavaVirtualMachines/*/Contents/Home')
    fi

    for pattern in ${patterns[@]+"${patterns[@]}"}; do
        [[ -n $pattern ]] || continue
        found=""
        # Only directories with bin/java count: /usr/lib/jvm also holds
        # source and doc directories that are not worth reporting. A matched
        # directory without bin/java is searched one level down, so a pattern
        # may also name a directory that holds JDKs (e.g. /opt/jdks).
        while IFS= read -r match; do
            if [[ -x $match/bin/java ]]; then
                found=1
                _lossmeter_try "$match" "$match" && return 0
            elif [[ -d $match ]]; then
                for sub in "$match"/*; do
                    [[ -x $sub/bin/java ]] || continue
                    found=1
                    _lossmeter_try "$sub" "$sub" && return 0
                done
            fi
        done < <(compgen -G "$pattern" | LC_ALL=C sort || true)
        if [[ -z $found ]]; then
            nothing_at="${nothing_at:+$nothing_at, }$pattern"
        fi
    done

    if java_on_path=$(command -v java 2>/dev/null); then
        cand=$(readlink -f -- "$java_on_path" 2>/dev/null) || cand=$java_on_path
        cand=$(dirname -- "$(dirname -- "$cand")")
        # Java 8 layouts put java under <jdk>/jre/bin.
        if [[ $(basename -- "$cand") == jre ]]; then cand=$(dirname -- "$cand"); fi
        match=$(cd -P -- "$cand" 2>/dev/null && pwd -P) || match=$cand
        case $_lm_seen in
            *$'\n'"$match"$'\n'*) _lm_report="${_lm_report}  java on PATH ($java_on_path): the same JDK as above"$'\n' ;;
            *) _lossmeter_try "$cand" "java on PATH ($java_on_path, in $cand)" && return 0 ;;
        esac
    else
        _lm_report="${_lm_report}  java on PATH: none"$'\n'
    fi

    {
        printf 'lossmeter needs a JDK %s or newer and could not find one.\n' "$LOSSMETER_MIN_JAVA"
        printf 'Looked at:\n%s' "$_lm_report"
        if [[ -n $nothing_at ]]; then
            printf '  no JDK at: %s\n' "$nothing_at"
        fi
        printf 'To get one, any of:\n'
        printf '  - Eclipse Temurin %s from the Adoptium project: https://adoptium.net/temurin/releases/?version=%s\n' \
            "$LOSSMETER_MIN_JAVA" "$LOSSMETER_MIN_JAVA"
        if command -v apt-cache >/dev/null 2>&1 \
            && apt-cache show "openjdk-$LOSSMETER_MIN_JAVA-jdk" >/dev/null 2>&1; then
            printf '  - your distribution'\''s package: sudo apt-get install openjdk-%s-jdk\n' "$LOSSMETER_MIN_JAVA"
        else
            printf '  - a distribution package such as openjdk-%s-jdk, where your distribution has one\n' \
                "$LOSSMETER_MIN_JAVA"
        fi
        printf '  - SDKMAN: sdk install java %s-tem\n' "$LOSSMETER_MIN_JAVA"
        printf 'Then point JAVA_HOME (or LOSSMETER_JAVA_HOME) at it, e.g.\n'
        printf '  export JAVA_HOME=/usr/lib/jvm/temurin-%s-jdk-amd64\n' "$LOSSMETER_MIN_JAVA"
    } >&2
    return 2
}
