#!/usr/bin/env bash
# Start a local Neo4j Community 5.26 (embedded, Bolt only, no auth) for tests.
#
#   bash .ci/neo4j/start.sh [--keep-data] [PORT]        (PORT defaults to 7687)
#
# On success prints exactly one line on stdout and exits 0:
#   NEO4J_URI=bolt://127.0.0.1:PORT
# On failure exits non-zero and prints the tail of the logs on stderr.
#
# What it does:
#   1. resolves Neo4j with Maven (cache: the default ~/.m2) and copies the jars
#      into target/lib; skipped while pom.xml is unchanged;
#   2. compiles Launcher.java into target/classes; skipped while unchanged;
#   3. starts the launcher in the background, detached from this shell, with
#      its home (store + logs/debug.log) in run/PORT/home, its stdout/stderr in
#      run/PORT/launcher.log and its pid in run/PORT/neo4j.pid;
#   4. waits (NEO4J_START_TIMEOUT, default 120 s) for "NEO4J READY" and the
#      Bolt port.
#
# Data: by default every start WIPES run/PORT/home, so each start is a fresh,
# empty database. With --keep-data (or NEO4J_KEEP_DATA=1) the existing store
# is reused, which is how a stop/start (or stop --kill/start) recovery test
# sees its data again.
#
# Idempotent: if the launcher for PORT is already running and serving Bolt,
# it is reused as is (data untouched) and the URI is printed again.
#
# Environment knobs (all optional):
#   NEO4J_KEEP_DATA=1          same as --keep-data
#   NEO4J_HEAP=1g              JVM max heap (-Xmx)
#   NEO4J_PAGECACHE=128m       Neo4j page cache size
#   NEO4J_JAVA_OPTS="..."      extra JVM options (word-split)
#   NEO4J_CONF_EXTRA="..."     extra Neo4j settings, one `name=value` per line (neo4j.conf
#                              syntax), written to run/PORT/extra.conf and applied after
#                              the launcher's own; unset or empty: none
#   NEO4J_START_TIMEOUT=120    seconds to wait for readiness
#   NEO4J_RUN_DIR=DIR          where run/PORT lives (default: run/ next to this
#                              script); stop.sh must see the same value
#   JAVA_HOME                  JDK to use (needs java + javac, version >= 17)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ME="start.sh"

die() {
    echo "$ME: error: $*" >&2
    exit 1
}

usage() {
    echo "usage: bash .ci/neo4j/start.sh [--keep-data] [PORT]" >&2
    exit 2
}

PORT=7687
KEEP_DATA="${NEO4J_KEEP_DATA:-0}"
port_seen=0
for arg in "$@"; do
    case "$arg" in
        --keep-data) KEEP_DATA=1 ;;
        -h|--help) usage ;;
        -*) echo "$ME: unknown option: $arg" >&2; usage ;;
        *)
            [[ $port_seen -eq 0 ]] || usage
            PORT="$arg"
            port_seen=1
            ;;
    esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || die "PORT must be 1-65535, got '$PORT'"
case "$KEEP_DATA" in 1|true|yes) KEEP_DATA=1 ;; *) KEEP_DATA=0 ;; esac

RUN_ROOT="${NEO4J_RUN_DIR:-$HERE/run}"
RUN_DIR="$RUN_ROOT/$PORT"
HOME_DIR="$RUN_DIR/home"
PID_FILE="$RUN_DIR/neo4j.pid"
LOG_FILE="$RUN_DIR/launcher.log"
TARGET="$HERE/target"
LIB_DIR="$TARGET/lib"
CLASSES_DIR="$TARGET/classes"
TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "NEO4J_START_TIMEOUT must be a whole number of seconds"

URI="bolt://127.0.0.1:$PORT"

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# True if $1 is a live process (a zombie counts as dead).
is_alive() {
    local pid="$1" state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
}

# True if $1 is a live process running our Launcher for $PORT.
is_our_launcher() {
    local pid="$1" cmd
    is_alive "$pid" || return 1
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ "$cmd" == *" Launcher $PORT "* ]]
}

show_logs() {
    {
        echo "---- $LOG_FILE (last 40 lines) ----"
        tail -n 40 "$LOG_FILE" 2>/dev/null || echo "(no launcher log)"
        if [[ -f "$HOME_DIR/logs/debug.log" ]]; then
            echo "---- $HOME_DIR/logs/debug.log (last 40 lines) ----"
            tail -n 40 "$HOME_DIR/logs/debug.log"
        fi
    } >&2
}

# ---- 0. Already running? -----------------------------------------------------
if [[ -f "$PID_FILE" ]]; then
    old_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if is_our_launcher "$old_pid"; then
        if port_open; then
            echo "$ME: Neo4j already running on port $PORT (pid $old_pid); reusing it, data untouched" >&2
            echo "NEO4J_URI=$URI"
            exit 0
        fi
        die "a launcher for port $PORT is running (pid $old_pid) but Bolt is not answering; run stop.sh $PORT first"
    fi
    rm -f "$PID_FILE"
fi
if port_open; then
    die "port $PORT on 127.0.0.1 is already in use by another process (not started by this script)"
fi

# ---- 1. Tools ----------------------------------------------------------------
if [[ -n "${JAVA_HOME:-}" ]]; then
    JAVA="$JAVA_HOME/bin/java"
    JAVAC="$JAVA_HOME/bin/javac"
else
    JAVA="$(command -v java || true)"
    JAVAC="$(command -v javac || true)"
fi
[[ -n "$JAVA" && -x "$JAVA" ]] || die "java not found (install a JDK >= 17 or set JAVA_HOME)"
[[ -n "$JAVAC" && -x "$JAVAC" ]] || die "javac not found (a full JDK >= 17 is needed, not just a JRE)"
java_major="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)"
[[ -n "$java_major" && "$java_major" -ge 17 ]] \
    || die "Java >= 17 required, found: $("$JAVA" -version 2>&1 | head -n 1)"

# ---- 2. Dependencies + launcher (serialised between concurrent starts) -------
build() {
    if command -v flock >/dev/null 2>&1; then
        flock -x 9
    fi

    local pom_sum
    pom_sum="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
    if [[ ! -f "$LIB_DIR/.stamp" || "$(cat "$LIB_DIR/.stamp")" != "$pom_sum" ]]; then
        command -v mvn >/dev/null 2>&1 || die "mvn (Maven >= 3.6.3) not found; it is needed once to fetch Neo4j"
        # Build next to the old dir and swap, so a launcher already running from
        # target/lib never sees its jar paths vanish for long.
        rm -rf "$LIB_DIR.new"
        if ! mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies \
                "-Dlib.dir=$LIB_DIR.new" >"$TARGET/mvn.log" 2>&1; then
            echo "---- $TARGET/mvn.log (last 40 lines) ----" >&2
            tail -n 40 "$TARGET/mvn.log" >&2
            die "Maven could not resolve Neo4j (see above)"
        fi
        ls "$LIB_DIR.new"/neo4j-bolt-*.jar >/dev/null 2>&1 || die "Maven finished but fetched no neo4j-bolt jar"
        echo "$pom_sum" >"$LIB_DIR.new/.stamp"
        swap_in "$LIB_DIR.new" "$LIB_DIR"
    fi

    local src_sum
    src_sum="$(cat "$HERE/Launcher.java" "$LIB_DIR/.stamp" | sha256sum | cut -d' ' -f1)"
    if [[ ! -f "$CLASSES_DIR/.stamp" || "$(cat "$CLASSES_DIR/.stamp")" != "$src_sum" ]]; then
        rm -rf "$CLASSES_DIR.new"
        mkdir -p "$CLASSES_DIR.new"
        if ! "$JAVAC" -nowarn -d "$CLASSES_DIR.new" -cp "$LIB_DIR/*" "$HERE/Launcher.java" >"$TARGET/javac.log" 2>&1; then
            cat "$TARGET/javac.log" >&2
            die "could not compile Launcher.java"
        fi
        echo "$src_sum" >"$CLASSES_DIR.new/.stamp"
        swap_in "$CLASSES_DIR.new" "$CLASSES_DIR"
    fi
}

# swap_in NEW DEST: replace directory DEST by NEW.
swap_in() {
    rm -rf "$2.old"
    if [[ -e "$2" ]]; then
        mv "$2" "$2.old"
    fi
    mv "$1" "$2"
    rm -rf "$2.old"
}
mkdir -p "$TARGET"
build 9>"$TARGET/.build.lock"

# ---- 3. Launch ---------------------------------------------------------------
mkdir -p "$RUN_DIR"
if [[ "$KEEP_DATA" != 1 ]]; then
    rm -rf "$HOME_DIR"
fi
mkdir -p "$HOME_DIR"

jvm_opts=(
    "-Xmx${NEO4J_HEAP:-1g}"
    -XX:+UseG1GC
    -XX:-OmitStackTraceInFastThrow
    -XX:+ExitOnOutOfMemoryError
    -Djdk.nio.maxCachedBufferSize=1024
    -Dfile.encoding=UTF-8
    -Dlog4j2.disable.jmx=true
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    "-Dicn.neo4j.pagecache=${NEO4J_PAGECACHE:-128m}"
)
extra_opts=()
read -r -a extra_opts <<<"${NEO4J_JAVA_OPTS:-}"  # split on whitespace, no globbing
EXTRA_CONF="$RUN_DIR/extra.conf"
rm -f "$EXTRA_CONF"
if [[ -n "${NEO4J_CONF_EXTRA:-}" ]]; then
    printf '%s\n' "$NEO4J_CONF_EXTRA" >"$EXTRA_CONF"
    jvm_opts+=("-Dicn.neo4j.conf=$EXTRA_CONF")
fi

: >"$LOG_FILE"
(
    cd "$RUN_DIR"
    exec setsid "$JAVA" "${jvm_opts[@]}" ${extra_opts[@]+"${extra_opts[@]}"} \
        -cp "$CLASSES_DIR:$LIB_DIR/*" Launcher "$PORT" "$HOME_DIR" \
        </dev/null >>"$LOG_FILE" 2>&1
) &
pid=$!
echo "$pid" >"$PID_FILE"

# ---- 4. Wait for readiness ---------------------------------------------------
deadline=$(( SECONDS + TIMEOUT ))
while :; do
    if ! is_alive "$pid"; then
        wait "$pid" 2>/dev/null && rc=0 || rc=$?
        rm -f "$PID_FILE"
        show_logs
        die "Neo4j exited during startup (exit code $rc)"
    fi
    if grep -q '^NEO4J READY' "$LOG_FILE" 2>/dev/null && port_open; then
        break
    fi
    if (( SECONDS >= deadline )); then
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$PID_FILE"
        show_logs
        die "Neo4j not ready on port $PORT after ${TIMEOUT}s (killed pid $pid)"
    fi
    sleep 0.25
done

echo "NEO4J_URI=$URI"
