-- wrk: POST /change-subscription-interval for one real session
-- (BENCH_SESSION_ID), alternating yearly / monthly.
local id = os.getenv("BENCH_SESSION_ID")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local interval = (n % 2 == 1) and "yearly" or "monthly"
  return wrk.format(nil, nil, nil,
    '{"checkout_session_id":"' .. id .. '","interval":"' .. interval .. '"}')
end
