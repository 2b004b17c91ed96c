#!/usr/bin/env bash
# Compares two builds of the API, alternating them on copies of one seeded database, because on a shared machine
# throughput drifts from one minute to the next and only alternating runs compare. By default it compares a patient's
# upcoming-sessions read; with WORKLOAD=bookings (what compare-bookings.sh sets), single bookings (POST /sessions).
#
#   KEEP_LOAD=/tmp/seeded bash KetamineScheduling.Benchmarks/Load/api-load.sh 20000 10    # seeds, once
#   bash KetamineScheduling.Benchmarks/Load/compare-reads.sh /tmp/seeded <rev-a> <rev-b> [rounds] [seconds]
#
# Each run restarts the API (Release, Production) on a fresh copy, warms it up for 15 s, or WARM seconds (after 5 s
# reads were still rising through the JIT's tiers, and the JIT's thread was still busy after 20), then runs wrk
# (2 threads, 32 connections) and reads the API's CPU time per request from /proc. Every booking run books its own days (book.lua's BOOK_RUN), after the three runs api-load.sh
# made, so no booking collides. Rounds alternate which build goes first (A B, B A, ...), so a build that always ran
# second, on a disk or a neighbour warmed by the first, cannot pass for a slower build. Prints every run and each
# build's means.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seeded="$(cd "$1" && pwd)"; shift
revs=("$1" "$2")
rounds="${3:-4}"
seconds="${4:-8}"
api=http://127.0.0.1:5092
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; for r in 0 1; do git -C "$root" worktree remove --force "$work/build$r" 2>/dev/null || true; done; rm -rf "$work"' EXIT

for r in 0 1; do
  git -C "$root" worktree add --detach --quiet "$work/build$r" "${revs[$r]}"
  dotnet build "$work/build$r/KetamineScheduling.Api" -c Release -v quiet -nologo >/dev/null
done

workload="${WORKLOAD:-reads}"
next_run=3

# load <seconds> <output>: wrk with the workload's script; each booking run on days of its own.
load() {
  if [ "$workload" = bookings ]; then
    local days=$next_run; next_run=$((next_run + 1))
    (cd "$work" && BOOK_RUN=$days wrk -t2 -c32 -d"$1"s -s "$here/book.lua" $api >"$2")
  else
    (cd "$work" && wrk -t2 -c32 -d"$1"s -s "$here/upcoming.lua" $api >"$2")
  fi
}

run() {
  rm -rf "$work/db" && mkdir "$work/db" && cp "$seeded/load.db" "$work/db/" && cp "$seeded/ids.lua" "$work/"
  # Written back now, not by the kernel during the measurement.
  sync
  # Started from the repository root, as api-load.sh starts it, so the database is not in the content root.
  (cd "$root" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Scheduling="Data Source=$work/db/load.db" \
    RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 Logging__LogLevel__Default=Warning \
    dotnet "$work/build$1/KetamineScheduling.Api/bin/Release/net10.0/KetamineScheduling.Api.dll" --urls $api >"$work/api.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 60); do curl -sf $api/health/ready >/dev/null && break; sleep 1; done
  load "${WARM:-15}" /dev/null
  local before; before=$(awk '{print $14 + $15}' /proc/$pid/stat)
  load "$seconds" "$work/wrk.out"
  local after; after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  local rps requests
  rps=$(sed -n 's/Requests\/sec: *//p' "$work/wrk.out")
  requests=$(sed -n 's/requests: \([0-9]*\),.*/\1/p' "$work/wrk.out")
  # /proc counts clock ticks of 10 ms.
  echo "${revs[$1]} $rps $(python3 -c "print(f'{($after - $before) * 10000 / $requests:.1f}')")" | tee -a "$work/runs"
}

unit=${workload%s}
echo "build $workload/s cpu-us/$unit"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then run 0; run 1; else run 1; run 0; fi
done
python3 - "$work/runs" "$workload" "$unit" <<'PY'
import sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    rev, rps, cpu = line.split()
    runs[rev].append((float(rps), float(cpu)))
for rev, values in runs.items():
    print(f"== {rev}: mean {sum(v[0] for v in values) / len(values):,.0f} {sys.argv[2]}/s, {sum(v[1] for v in values) / len(values):.1f} µs CPU per {sys.argv[3]} ({len(values)} runs)")
PY
