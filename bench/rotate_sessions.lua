-- wrk script of bench/bench_web.py: one logged-in user's session cookie per request, rotating over the
-- users in the file given as the first argument (one "Cookie" header value a line; empty: anonymous), the
-- X-Forwarded-Proto header the production settings expect behind their TLS proxy, and, with the second
-- argument "rotate-address", a different X-Forwarded-For per request (many citizens rather than one).
-- It counts every response that is not a 200 (wrk itself only counts 4xx/5xx) and prints one JSON line.

local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  cookies = {}
  if args[1] and args[1] ~= "" then
    for line in io.lines(args[1]) do
      if #line > 0 then table.insert(cookies, line) end
    end
  end
  rotate_address = args[2] == "rotate-address"
  -- Threads start far apart so their cookies and addresses differ.
  position = (thread_index or 0) * 1000003
  non200 = 0
  statuses = ""
  seen = {}
end

function request()
  local headers = {["X-Forwarded-Proto"] = "https"}
  if #cookies > 0 then
    headers["Cookie"] = cookies[(position % #cookies) + 1]
  end
  if rotate_address then
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(position / 65536) % 256, math.floor(position / 256) % 256,
                                               position % 256)
  end
  position = position + 1
  return wrk.format(nil, nil, headers, nil)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if not seen[status] then
      seen[status] = true
      statuses = statuses .. status .. " "
    end
  end
end

function done(summary, latency, requests)
  local non200_total, codes = 0, ""
  for _, thread in ipairs(threads) do
    non200_total = non200_total + (thread:get("non200") or 0)
    codes = codes .. (thread:get("statuses") or "")
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "http_errors": %d, ' ..
    '"non200": %d, "non200_statuses": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    summary.errors.status, non200_total, codes))
end
