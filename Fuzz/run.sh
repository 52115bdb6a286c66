#!/usr/bin/env bash
# Builds one libFuzzer harness (the parser's sources + Fuzz/<name>/*.swift, compiled as one module with
# -sanitize=fuzzer,address) and runs it on the seed corpus Fixtures/fuzz/<name>/.
#
#   Fuzz/run.sh <http|ini|inject|occi|store|json|yaml> [seconds=600] [extra libFuzzer flags…]
#   Fuzz/run.sh http 0 Fixtures/fuzz/http/regression-x.bin   # replay one input (seconds 0 = no fuzzing time)
#   FUZZ_OUT=/tmp/fz Fuzz/run.sh ini 60
#
# FUZZ_OPT=-Onone keeps precondition messages when replaying a finding.
# Working corpus and crash artifacts go to $FUZZ_OUT/<name> (default .build-fuzz/<name>, not committed).
# `occi` runs Fuzz/occi/run.sh (the DiscoOCCI harness) when it is there.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NAME="${1:?usage: Fuzz/run.sh <http|ini|inject|occi|store|json|yaml> [seconds] [libFuzzer flags…]}"
SECONDS_TO_RUN="${2:-600}"
shift; shift || true
export PATH=/opt/swift/usr/bin:$PATH
# Swift's own crash backtracer trips ASan after a fatalError; libFuzzer prints the stack anyway.
export SWIFT_BACKTRACE=enable=no
OUT="${FUZZ_OUT:-$ROOT/.build-fuzz}/$NAME"
SM="$ROOT/Sources/DiscoServer"
case "$NAME" in
    http)   SOURCES=("$SM/HTTP/HTTPRequestParser.swift" "$SM/HTTP/HTTPHeaders.swift" "$SM/HTTP/HTTPServerRequest.swift"); MODULE=DiscoServer; MAXLEN=4096 ;;
    ini)    SOURCES=("$SM/Config/INIFile.swift" "$SM/Config/ConfigurationError.swift"); MODULE=DiscoServer; MAXLEN=4096 ;;
    inject) SOURCES=("$ROOT/Sources/DiscoCore/Planning/InjectParser.swift"); MODULE=DiscoCore; MAXLEN=5000 ;;
    store)  SOURCES=("$ROOT/Sources/DiscoCore/Support/JSONReader.swift"); MODULE=DiscoCore; MAXLEN=4096 ;;
    json)   SOURCES=("$ROOT/Sources/DiscoCore/Support/JSONReader.swift" "$ROOT/Sources/DiscoCore/Support/JSONInput.swift"
                     "$ROOT/Sources/DiscoCore/Support/DecodingError+Readable.swift" "$ROOT/Sources/DiscoCore/Model/SpecProblem.swift"
                     "$ROOT/Sources/DiscoCore/Support/EditDistance.swift"); MODULE=DiscoCore; MAXLEN=70000 ;;
    yaml)   SOURCES=("$ROOT"/Sources/DiscoCore/Support/YAML/*.swift); MODULE=DiscoCore; MAXLEN=4096 ;;
    occi)
        if [[ -x "$ROOT/Fuzz/occi/run.sh" ]]; then
            FUZZ_OUT="$OUT" exec "$ROOT/Fuzz/occi/run.sh" "$SECONDS_TO_RUN" "$@"
        fi
        echo "Fuzz/occi/run.sh is not in this tree (it comes with the DiscoOCCI work)" >&2; exit 2 ;;
    *) echo "unknown harness '$NAME' (http, ini, inject, occi, store, json, yaml)" >&2; exit 2 ;;
esac
mkdir -p "$OUT/corpus" "$OUT/artifacts"
echo "building $OUT/fuzz-$NAME" >&2
swiftc -sanitize=fuzzer,address -parse-as-library "${FUZZ_OPT:--O}" -g -swift-version 6 -module-name "$MODULE" \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault -package-name disco \
    "${SOURCES[@]}" "$ROOT"/Fuzz/"$NAME"/*.swift -o "$OUT/fuzz-$NAME" \
    2> >(grep -v 'ld.gold: warning: Cannot export local symbol' >&2)
if [[ $# -gt 0 && -f "${!#}" ]]; then   # replay files
    exec "$OUT/fuzz-$NAME" -runs=1 "$@"
fi
exec "$OUT/fuzz-$NAME" "$OUT/corpus" "$ROOT/Fixtures/fuzz/$NAME" \
    -max_total_time="$SECONDS_TO_RUN" -max_len="$MAXLEN" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$OUT/artifacts/" -print_final_stats=1 "$@"
