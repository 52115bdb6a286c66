#!/usr/bin/env bash
# Fault soak: LIFECYCLES (default 1000) create → ready/failed → delete lifecycles through the REST API on the simulated
# cloud with ~10% injected faults (503 bursts, Heat timeouts, answers lost after taking effect, CREATE_FAILED,
# DELETE_FAILED, token expiry), in-process
# (Tests/DiscoServerTests/Reliability/SoakTests.swift) on a manual clock. Prints the outcome and RSS samples.
#
#   Benchmarks/soak.sh            # 1000 lifecycles
#   LIFECYCLES=100 Benchmarks/soak.sh
set -Eeuo pipefail
export PATH=/opt/swift/usr/bin:$PATH
cd "$(dirname "$0")/.."
echo "== fault soak, ${LIFECYCLES:-1000} lifecycles; load $(cut -d' ' -f1-3 /proc/loadavg)"
# Swift Testing's backtraces of thrown errors would hide the heap's signal; without them it must stay flat.
SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0 DISCO_SOAK_LIFECYCLES=${LIFECYCLES:-1000} timeout 900 swift test --filter 'SoakTests' 2>&1 \
    | grep -E '^soak:|✘|error:|passed after|failed after|Test run with' | grep -v '^\[' 
