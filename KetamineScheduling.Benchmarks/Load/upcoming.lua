-- A patient's app asking for upcoming sessions, cycling through the readers api-load.sh seeded with a page each
-- (or, in a database seeded before readers existed, through every patient).
dofile("ids.lua")

local counter = 0
local cycle = readers or patients
function request()
   counter = counter + 1
   local patient = cycle[(counter % #cycle) + 1]
   return wrk.format("GET", "/v1/clinics/" .. clinic .. "/patients/" .. patient .. "/sessions/upcoming",
      { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
   io.write(string.format("requests: %d, non-2xx/3xx: %d\n", summary.requests, summary.errors.status))
end
