#!/usr/bin/env bash
# One entry point for people and CI: `./dev.sh serve` and `./dev.sh test` set up what they need first.
#   ./dev.sh setup   create .venv and install the project with its test extras (idempotent, quick when done)
#   ./dev.sh serve   set up, then start the server on the embedded store with the ICN data loaded
#   ./dev.sh test    set up, then run ruff and the whole test suite (Neo4j leg if GRAPH_TEST_NEO4J_URI is set)
#   ./dev.sh bench   set up, then run the benchmark suite (see docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
VENV=.venv

setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test,bench]"
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
}

cmd=${1:-help}
shift || true
case "$cmd" in
  setup) setup ;;
  serve) setup; exec "$VENV/bin/python" server.py "$@" ;;
  test)
    setup
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    set +e
    "$VENV/bin/python" -m pytest "$@"
    rc=$?
    set -e
    # pytest's 5 means "no tests collected": that is a failure here, never a pass.
    exit $rc
    ;;
  bench) setup; exec "$VENV/bin/python" -m bench "$@" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
