#!/usr/bin/env bash
# Load test of the API on SQLite, next to a bare Kestrel endpoint serving the same bytes.
#
#   bash KetamineScheduling.Benchmarks/Load/api-load.sh [target-sessions] [seconds]
#
# 1. Starts the API (Release, Production, a fresh SQLite file) on 127.0.0.1:5090.
# 2. Creates a clinic open 06:00-23:00 every day with 100 chairs and 100 patients.
# 3. Books legal sessions with wrk (POST /sessions) until the database holds target-sessions (default 100000),
#    reporting bookings per second.
# 4. Reads GET /patients/{id}/sessions/upcoming with wrk, and the same bytes from a bare Kestrel endpoint, in turn
#    three times each, and prints the medians and their ratio.
# With KEEP_LOAD=<folder>, the seeded database and ids.lua are copied there at the end, for compare-reads.sh.
# Needs wrk and curl (apt-get install wrk). Only loopback addresses are used.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:-100000}"
seconds="${2:-20}"
threads=2
connections=32
api=http://127.0.0.1:5090
bare=http://127.0.0.1:5091
work="$(mktemp -d)"
admin=ks_load_platform_admin_0123456789
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build "$root/KetamineScheduling.Api" -c Release -v quiet -nologo >/dev/null
dotnet build "$root/KetamineScheduling.Benchmarks" -c Release -v quiet -nologo >/dev/null

ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Scheduling="Data Source=$work/load.db" \
Auth__BootstrapAdminKey=$admin \
RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 \
Logging__LogLevel__Default=Warning \
  dotnet "$root/KetamineScheduling.Api/bin/Release/net10.0/KetamineScheduling.Api.dll" --urls $api >"$work/api.log" 2>&1 &
for _ in $(seq 1 60); do curl -sf $api/health/ready >/dev/null && break; sleep 1; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sS --fail-with-body -X POST "$api$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }

hours='[{"day":"Monday","opens":"06:00","closes":"23:00"},{"day":"Tuesday","opens":"06:00","closes":"23:00"},{"day":"Wednesday","opens":"06:00","closes":"23:00"},{"day":"Thursday","opens":"06:00","closes":"23:00"},{"day":"Friday","opens":"06:00","closes":"23:00"},{"day":"Saturday","opens":"06:00","closes":"23:00"},{"day":"Sunday","opens":"06:00","closes":"23:00"}]'
clinic=$(post /v1/clinics $admin "{\"name\":\"Load clinic\",\"timeZone\":\"Europe/London\",\"openingHours\":$hours,\"turnoverMinutes\":5,\"observationMinutes\":15}" | json '["id"]')
token=$(post "/v1/clinics/$clinic/api-keys" $admin '{"name":"load","role":"clinic-admin"}' | json '["key"]')
{
  echo "clinic = \"$clinic\""
  echo "token = \"$token\""
  echo "chairs = {"; for i in $(seq 1 100); do echo "\"$(post "/v1/clinics/$clinic/chairs" "$token" "{\"name\":\"Chair $i\"}" | json '["id"]')\","; done; echo "}"
  echo "patients = {"; for i in $(seq 1 100); do echo "\"$(post "/v1/clinics/$clinic/patients" "$token" "{\"externalId\":\"LOAD-$i\",\"displayName\":\"Load $i\"}" | json '["id"]')\","; done; echo "}"
} >"$work/ids.lua"
cd "$work"

count() { sqlite3 "$work/load.db" "SELECT COUNT(*) FROM sessions"; }
echo "== Bookings: POST /v1/clinics/{clinic}/sessions, $threads threads, $connections connections"
run=0
while [ "$(count)" -lt "$target" ]; do
  before=$(count)
  BOOK_RUN=$run wrk -t$threads -c$connections -d${seconds}s -s "$here/book.lua" $api | grep -E "Requests/sec|Latency|requests:"
  echo "   sessions in the database: $(count)"
  if [ "$(count)" -eq "$before" ]; then echo "No booking succeeded; the API said:" >&2; tail -20 "$work/api.log" >&2; exit 1; fi
  run=$((run + 1))
done

patient=$(sed -n '/patients = {/{n;p}' ids.lua | tr -d '",')
curl -sf "$api/v1/clinics/$clinic/patients/$patient/sessions/upcoming" -H "Authorization: Bearer $token" >"$work/upcoming.json"
dotnet "$root/KetamineScheduling.Benchmarks/bin/Release/net10.0/KetamineScheduling.Benchmarks.dll" bare-kestrel "$work/upcoming.json" $bare >/dev/null 2>&1 &
for _ in $(seq 1 30); do curl -sf $bare/ >/dev/null && break; sleep 1; done

# Reads of the API and of bare Kestrel alternate, three runs each after a warm-up that is not counted: on a shared
# machine throughput drifts from one minute to the next, and alternating spreads the drift over both.
measure() { wrk -t$threads -c$connections -d${seconds}s -s "$here/upcoming.lua" "$1" | tee "$work/wrk.out" | grep -E "Requests/sec|Latency|requests:"; sed -n 's/Requests\/sec: *//p' "$work/wrk.out" >>"$2"; }
wrk -t$threads -c$connections -d5s -s "$here/upcoming.lua" $api >/dev/null
wrk -t$threads -c$connections -d5s -s "$here/upcoming.lua" $bare >/dev/null
for run in 1 2 3; do
  echo "== Reads, run $run: GET /v1/clinics/{clinic}/patients/{patient}/sessions/upcoming ($(wc -c <"$work/upcoming.json") bytes)"
  measure $api "$work/api.rps"
  echo "== Bare Kestrel serving the same bytes, run $run"
  measure $bare "$work/bare.rps"
done
median() { sort -n "$1" | sed -n 2p; }
echo "== Median reads/s: API $(median "$work/api.rps"), bare Kestrel $(median "$work/bare.rps"), API/bare $(python3 -c "print(f'{$(median "$work/api.rps") / $(median "$work/bare.rps"):.0%}')")"
if [ -n "${KEEP_LOAD:-}" ]; then
  mkdir -p "$KEEP_LOAD"
  sqlite3 "$work/load.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  cp "$work/load.db" "$work/ids.lua" "$KEEP_LOAD/"
  echo "== Seeded database and ids.lua kept in $KEEP_LOAD"
fi
