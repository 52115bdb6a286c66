#!/usr/bin/env bash
# Ready time against the number of workers, on real nodes: one base+flink cluster per size, created one after the
# other through disco-sm and real Heat on the real-node suite's containers (scripts/nodes/run.sh, scenario
# ready-vs-workers). Prints POST → ready, DISCO's timeline and every node's install steps (seconds after the POST),
# the mirror's requests per cluster and the load average beside each row.
#
#   sudo bash Benchmarks/ready-vs-workers.sh            # 1, 2 and 4 workers (about 12 min)
#   sudo bash Benchmarks/ready-vs-workers.sh 1 4        # other sizes
#   SKIP_BUILD=1 sudo -E bash Benchmarks/ready-vs-workers.sh   # use .build/debug/disco-sm as built
#   NODES_CPU_QUOTA=0.3 sudo -E bash Benchmarks/ready-vs-workers.sh   # each node capped at 0.3 of a CPU, as
#       VMs with their own vCPUs: the sizes then differ by what serialises nodes, not by this machine's cores
set -Eeuo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp /tmp/ready-vs-workers.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; load before: $(uptime | sed 's/.*load average: //')"
if [ -n "${NODES_CPU_QUOTA:-}" ]; then echo "CPU per node: at most $NODES_CPU_QUOTA of a CPU (NODES_CPU_QUOTA)"
else echo "CPU per node: the machine's cores, shared (NODES_CPU_QUOTA unset)"; fi
rc=0
NODES_BENCH_WORKERS="${*:-1 2 4}" NODES_BENCH_OUT=$out bash "$repo/scripts/nodes/run.sh" ready-vs-workers || rc=$?
echo "load after: $(uptime | sed 's/.*load average: //')"
# shellcheck source=scripts/nodes/scenarios.sh
. "$repo/scripts/nodes/scenarios.sh"
[ ! -s "$out" ] || bench_table "$out"
exit "$rc"
