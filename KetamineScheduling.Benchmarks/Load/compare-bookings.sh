#!/usr/bin/env bash
# Compares single bookings (POST /sessions) of two builds of the API, alternating them on copies of one seeded
# database, because on a shared machine throughput drifts from one minute to the next and only alternating runs compare.
#
#   KEEP_LOAD=/tmp/seeded bash KetamineScheduling.Benchmarks/Load/api-load.sh 20000 10    # seeds, once
#   bash KetamineScheduling.Benchmarks/Load/compare-bookings.sh /tmp/seeded <rev-a> <rev-b> [rounds] [seconds]
#
# Each run restarts the API (Release, Production) on a fresh copy, books for 12 s to warm it up (bookings warm up
# more slowly than reads: fewer calls reach the JIT's tiers), then books with wrk (2 threads, 32 connections) and
# reads the API's CPU time per booking from /proc. Every run books its own days (book.lua's BOOK_RUN), after the
# three runs api-load.sh made, so no booking collides. Prints every run and each build's means.
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
  local warm=$next_run measured=$((next_run + 1)); next_run=$((next_run + 2))
  (cd "$work" && BOOK_RUN=$warm wrk -t2 -c32 -d12s -s "$here/book.lua" $api >/dev/null)
  local before; before=$(awk '{print $14 + $15}' /proc/$pid/stat)
  (cd "$work" && BOOK_RUN=$measured wrk -t2 -c32 -d${seconds}s -s "$here/book.lua" $api >"$work/wrk.out")
  local after; after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  local rps requests
  rps=$(sed -n 's/Requests\/sec: *//p' "$work/wrk.out")
  requests=$(sed -n 's/requests: \([0-9]*\),.*/\1/p' "$work/wrk.out")
  # /proc counts clock ticks of 10 ms.
  echo "${revs[$1]} $rps $(python3 -c "print(f'{($after - $before) * 10000 / $requests:.1f}')")" | tee -a "$work/runs"
}

next_run=3
echo "build bookings/s cpu-us/booking"
for _ in $(seq 1 "$rounds"); do run 0; run 1; done
python3 - "$work/runs" <<'PY'
import sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    rev, rps, cpu = line.split()
    runs[rev].append((float(rps), float(cpu)))
for rev, values in runs.items():
    print(f"== {rev}: mean {sum(v[0] for v in values) / len(values):,.0f} bookings/s, {sum(v[1] for v in values) / len(values):.0f} µs CPU per booking ({len(values)} runs)")
PY
