-- Legal bookings for the load script: chair i always seats patient i, one session an hour from 06:00,
-- so no two requests ever collide. Each wrk thread books its own run of days.
-- ids.lua (written by api-load.sh) sets clinic, chairs, patients and token.
dofile("ids.lua")

local threads = 0
function setup(thread)
   thread:set("index", threads)
   threads = threads + 1
end

local counter = 0
-- Each run of the script (BOOK_RUN=0, 1, ...) and each thread books its own 30 days: 48,000 bookings (100 chairs,
-- 16 hours), far more than a thread makes in a run. With 300 days, runs passed the year 2200 after about 20.
local run = tonumber(os.getenv("BOOK_RUN") or "0")
local base = os.time({ year = 2028, month = 1, day = 1, hour = 12 })

function request()
   local chair = counter % #chairs
   local hour = 6 + math.floor(counter / #chairs) % 16
   local day = math.floor(counter / (#chairs * 16)) + (run * 8 + index) * 30
   counter = counter + 1
   local date = os.date("!%Y-%m-%d", base + day * 86400)
   local body = string.format('{"patientId":"%s","chairId":"%s","start":"%sT%02d:00","infusionMinutes":40}',
      patients[chair + 1], chairs[chair + 1], date, hour)
   return wrk.format("POST", "/v1/clinics/" .. clinic .. "/sessions",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

local statuses = {}
function response(status)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   io.write(string.format("requests: %d, non-2xx/3xx: %d\n", summary.requests, summary.errors.status))
end
