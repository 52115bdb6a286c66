#!/usr/bin/env bash
# Builds the DiscoOCCI libFuzzer harness (module sources + Fuzz/occi/FuzzOCCI.swift) with
# -sanitize=fuzzer,address and runs it on the seed corpus in Fixtures/fuzz/occi.
#
#   Fuzz/occi/run.sh [seconds=600] [extra libFuzzer flags…]
#   FUZZ_OUT=/tmp/fz Fuzz/occi/run.sh 60 -jobs=2
#
# The working corpus and crash artifacts go to $FUZZ_OUT (default .build-fuzz/occi, not committed).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH=/opt/swift/usr/bin:$PATH
# Swift's own crash backtracer trips ASan after a fatalError; libFuzzer prints the stack anyway.
export SWIFT_BACKTRACE=enable=no
OUT="${FUZZ_OUT:-$ROOT/.build-fuzz/occi}"
SECONDS_TO_RUN="${1:-600}"
shift || true
mkdir -p "$OUT/corpus" "$OUT/artifacts"
echo "building $OUT/fuzz-occi" >&2
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name DiscoOCCI \
    -enable-upcoming-feature ExistentialAny \
    -enable-upcoming-feature InternalImportsByDefault \
    -enable-upcoming-feature MemberImportVisibility \
    $(find "$ROOT/Sources/DiscoOCCI" -name '*.swift' | sort) "$ROOT/Fuzz/occi/FuzzOCCI.swift" \
    -o "$OUT/fuzz-occi" 2> >(grep -v 'ld.gold: warning: Cannot export local symbol' >&2)
exec "$OUT/fuzz-occi" "$OUT/corpus" "$ROOT/Fixtures/fuzz/occi" \
    -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 "$@"
