#!/usr/bin/env bash
# The reliability suites (fuzzing excepted): crash safety, hostile input, fault soak in-process and against the
# disco-sm process. About 7 minutes in full (431 s on 2 cores).
#
#   Benchmarks/reliability.sh           # release build; 20 crash rounds, 2000 slowloris connections, 1000 lifecycles
#                                       # in each soak
#   Benchmarks/reliability.sh --quick   # for CI (≤ 3 min after `swift test` built debug): debug binaries, 5 crash rounds,
#                                       # 300 slowloris connections, 5000 unknown paths, 100 lifecycles in each soak
set -Eeuo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
if [[ "${1:-}" == "--quick" ]]; then
    export CONFIGURATION=${CONFIGURATION:-debug} ROUNDS=${ROUNDS:-5} IDLE=${IDLE:-300} UNKNOWN_PATHS=${UNKNOWN_PATHS:-5000} LIFECYCLES=${LIFECYCLES:-100}
fi
export CONFIGURATION=${CONFIGURATION:-release}
start=$SECONDS
status=0
if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c "$CONFIGURATION" --product disco-sm 2>&1 | tail -n 1
fi
export SKIP_BUILD=1
Benchmarks/crash.sh 2>&1 | grep -E '^(==|crash:|  )' || status=1
Benchmarks/hostile.sh 2>&1 | grep -E '^(==|hostile:|slowloris:|bad tokens:|sign-ins:|  FAIL)' || status=1
Benchmarks/soak.sh || status=1
Benchmarks/churn.sh 2>&1 | grep -E '^(==|churn:|  )' || status=1
echo "reliability: $((SECONDS - start)) s, $([[ $status == 0 ]] && echo "all suites passed" || echo "FAILED")"
exit $status
