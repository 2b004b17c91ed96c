#!/usr/bin/env bash
# Where a request's CPU goes: samples the API with dotnet-trace while wrk reads a patient's page or books sessions,
# and prints the methods holding the most samples, inclusive (with what they call) and exclusive (their own code).
#
#   KEEP_LOAD=/tmp/seeded bash KetamineScheduling.Benchmarks/Load/api-load.sh 20000 10    # seeds, once
#   bash KetamineScheduling.Benchmarks/Load/profile.sh /tmp/seeded reads|bookings [seconds]
#
# The API runs as api-load.sh runs it (Release, Production) on a copy of the seeded database, is warmed up for 15 s,
# then traced for the given seconds (default 10) under load. The trace is kept as profile.speedscope.json in the
# current folder, for https://www.speedscope.app.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seeded="$(cd "$1" && pwd)"
kind="$2"
seconds="${3:-10}"
api=http://127.0.0.1:5093
work="$(mktemp -d)"
out="$(pwd)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
case "$kind" in reads) script=upcoming.lua ;; bookings) script=book.lua ;; *) echo "reads or bookings" >&2; exit 2 ;; esac

(cd "$root" && dotnet tool restore >/dev/null && dotnet build KetamineScheduling.Api -c Release -v quiet -nologo >/dev/null)
cp "$seeded/load.db" "$seeded/ids.lua" "$work/"
(cd "$root" && exec env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Scheduling="Data Source=$work/load.db" \
  RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 Logging__LogLevel__Default=Warning \
  dotnet "$root/KetamineScheduling.Api/bin/Release/net10.0/KetamineScheduling.Api.dll" --urls $api >"$work/api.log" 2>&1) &
pid=$!
for _ in $(seq 1 60); do curl -sf $api/health/ready >/dev/null && break; sleep 1; done
cd "$work"
# Bookings run on days of their own (BOOK_RUN), after the seeded ones, and the warm-up's are not the measured ones.
BOOK_RUN=5 wrk -t2 -c32 -d15s -s "$here/$script" $api >/dev/null
(cd "$root" && dotnet tool run dotnet-trace collect -p $pid --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf %02d "$seconds")" \
  -o "$work/trace.nettrace" >/dev/null 2>&1) &
tracer=$!
sleep 1
BOOK_RUN=6 wrk -t2 -c32 -d"${seconds}s" -s "$here/$script" $api | grep -E "Requests/sec|requests:"
wait $tracer
(cd "$root" && dotnet tool run dotnet-trace convert --format Speedscope -o "$work/profile" "$work/trace.nettrace" >/dev/null)
cp "$work/profile.speedscope.json" "$out/profile.speedscope.json"
python3 - "$work/profile.speedscope.json" <<'PY'
import json, sys
from collections import Counter
doc = json.load(open(sys.argv[1]))
frames = [f["name"] for f in doc["shared"]["frames"]]
# dotnet-trace's thread-time samples end each stack in a pseudo-frame: CPU_TIME for managed code running, and
# UNMANAGED_CODE_TIME for native code, which is also where a thread waits. Native time under a wait is idle.
waits = ("LowLevelLifoSemaphore", "WaitHandle", "Monitor.Wait", "ManualResetEventSlim.Wait", "SpinThenBlockingWait",
         "EventLoop", "epoll", "Thread.Sleep", "TimerQueue", "Heartbeat.TimerLoop", "ProcessLogQueue", "GateThread")
own, inclusive, busy = Counter(), Counter(), 0.0
for profile in doc["profiles"]:
    stack, events = [], profile["events"]
    for a, b in zip(events, events[1:]):
        if a["type"] == "O":
            stack.append(a["frame"])
        else:
            stack.pop()
        if not stack:
            continue
        leaf = frames[stack[-1]]
        if leaf not in ("CPU_TIME", "UNMANAGED_CODE_TIME"):
            continue
        names = [frames[f] for f in stack[:-1]]
        if leaf == "UNMANAGED_CODE_TIME" and any(w in n for n in names for w in waits):
            continue
        duration = b["at"] - a["at"]
        busy += duration
        own[(names[-1] if names else "?") + (" [native]" if leaf == "UNMANAGED_CODE_TIME" else "")] += duration
        for name in set(names):
            inclusive[name] += duration
busy = busy or 1
print("== Methods by own CPU (share of all busy samples)")
for name, value in own.most_common(30):
    print(f"{100 * value / busy:5.1f}%  {name[:160]}")
print("== Methods by inclusive CPU, the API's own and ASP.NET Core's")
shown = 0
for name, value in inclusive.most_common():
    if any(k in name for k in ("KetamineScheduling", "Microsoft.AspNetCore", "Dapper", "Microsoft.Data", "System.Text.Json", "NodaTime", "Microsoft.Extensions")):
        print(f"{100 * value / busy:5.1f}%  {name[:160]}")
        shown += 1
        if shown == 45:
            break
PY
