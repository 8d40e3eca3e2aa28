#!/usr/bin/env bash
# Stop the Neo4j started by start.sh.
#
#   bash .ci/neo4j/stop.sh [--kill] [PORT]      (PORT defaults to 7687)
#
# Default: SIGTERM, whose shutdown hook shuts the DBMS down cleanly (checkpoint,
# store closed); waits up to NEO4J_STOP_TIMEOUT (default 60 s), then SIGKILLs.
# --kill: SIGKILL at once, i.e. a simulated crash; the next
# `start.sh --keep-data` then runs Neo4j's recovery from the transaction log.
#
# Data persistence: stop.sh never deletes anything. The store stays in
# run/PORT/home. `start.sh --keep-data PORT` (or NEO4J_KEEP_DATA=1) starts on
# that same store again; a plain `start.sh PORT` wipes it and starts empty.
#
# Quiet and exit 0 when nothing is running (safe in cleanup traps).
# Uses NEO4J_RUN_DIR like start.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ME="stop.sh"

die() {
    echo "$ME: error: $*" >&2
    exit 1
}

usage() {
    echo "usage: bash .ci/neo4j/stop.sh [--kill] [PORT]" >&2
    exit 2
}

PORT=7687
SIGNAL=TERM
port_seen=0
for arg in "$@"; do
    case "$arg" in
        --kill) SIGNAL=KILL ;;
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

RUN_DIR="${NEO4J_RUN_DIR:-$HERE/run}/$PORT"
PID_FILE="$RUN_DIR/neo4j.pid"
TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
[[ "$TIMEOUT" =~ ^[0-9]+$ ]] || die "NEO4J_STOP_TIMEOUT must be a whole number of seconds"

is_alive() {
    local pid="$1" state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    state="$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
}

is_our_launcher() {
    local pid="$1" cmd
    is_alive "$pid" || return 1
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ "$cmd" == *" Launcher $PORT "* ]]
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

[[ -f "$PID_FILE" ]] || exit 0
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if ! is_our_launcher "$pid"; then
    # Stale pid file (process gone, or the pid was reused by something else).
    rm -f "$PID_FILE"
    exit 0
fi

kill "-$SIGNAL" "$pid" 2>/dev/null || true

deadline=$(( SECONDS + TIMEOUT ))
while is_alive "$pid"; do
    if (( SECONDS >= deadline )); then
        echo "$ME: Neo4j (pid $pid) still running ${TIMEOUT}s after SIG$SIGNAL; sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        deadline=$(( SECONDS + 30 ))
        SIGNAL=KILL
        while is_alive "$pid"; do
            (( SECONDS < deadline )) || die "could not kill Neo4j (pid $pid)"
            sleep 0.2
        done
        break
    fi
    sleep 0.2
done
rm -f "$PID_FILE"

# The listening socket goes with the process; make sure before returning, so an
# immediate start.sh on the same port does not race it.
deadline=$(( SECONDS + 10 ))
while port_open; do
    (( SECONDS < deadline )) || die "Neo4j (pid $pid) exited but port $PORT is still accepting connections"
    sleep 0.2
done
