-- wrk: create Checkout Sessions through the sandbox API until each thread has
-- BENCH_PER_THREAD answers (or wrk's -d runs out); prints what was created.
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer sk_test_sandbox"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "mode=subscription&ui_mode=custom&return_url=https%3A%2F%2Fexample.com%2Freturn"
  .. "&line_items%5B0%5D%5Bprice%5D=price_sandbox_monthly&line_items%5B0%5D%5Bquantity%5D=1"
  .. "&permissions%5Bupdate_line_items%5D=server_only&permissions%5Bupdate_discounts%5D=server_only"
local limit = tonumber(os.getenv("BENCH_PER_THREAD") or "1000")
local count = 0
response = function(status, headers, body)
  count = count + 1
  if count >= limit then wrk.thread:stop() end
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH_CREATED %d %d %d\n",
    summary.requests, summary.errors.status, summary.duration))
end
