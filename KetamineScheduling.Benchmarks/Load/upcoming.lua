-- A patient's app asking for upcoming sessions, cycling through the seeded patients.
dofile("ids.lua")

local counter = 0
function request()
   counter = counter + 1
   local patient = patients[(counter % #patients) + 1]
   return wrk.format("GET", "/v1/clinics/" .. clinic .. "/patients/" .. patient .. "/sessions/upcoming",
      { ["Authorization"] = "Bearer " .. token })
end

function done(summary, latency, requests)
   io.write(string.format("requests: %d, non-2xx/3xx: %d\n", summary.requests, summary.errors.status))
end
