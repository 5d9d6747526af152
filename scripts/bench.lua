-- wrk's script for scripts/bench.py: checks every answer's status and, when
-- the run ends, prints one machine-readable line for the bench to read.
--
--   wrk ... -s scripts/bench.lua http://127.0.0.1:8000/path -- 200
--
-- The argument after "--" is the status every response must have. wrk's
-- own summary counts only statuses over 399; a redirect where a page was
-- expected would pass unnoticed, so each thread counts what it did not
-- expect and done() adds them up. Each thread also counts the answers of
-- nginx's micro-cache (X-Cache-Status): HIT, STALE or UPDATING (an expired
-- copy, given while nginx fetches the next), and any other (MISS, BYPASS,
-- EXPIRED); answers without the header (gunicorn's) count in none.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  -- args[0] is the URL; what follows "--" starts at args[1].
  expected = tonumber(args[1]) or 200
  unexpected = 0
  unexpected_status = 0
  cache_hit, cache_stale, cache_other = 0, 0, 0
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    unexpected_status = status
  end
  local cached = headers["X-Cache-Status"]
  if cached == "HIT" then
    cache_hit = cache_hit + 1
  elseif cached == "STALE" or cached == "UPDATING" then
    cache_stale = cache_stale + 1
  elseif cached then
    cache_other = cache_other + 1
  end
end

function done(summary, latency, requests)
  local unexpected, seen = 0, 0
  local hit, stale, other = 0, 0, 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + thread:get("unexpected")
    hit = hit + thread:get("cache_hit")
    stale = stale + thread:get("cache_stale")
    other = other + thread:get("cache_other")
    if thread:get("unexpected_status") ~= 0 then
      seen = thread:get("unexpected_status")
    end
  end
  -- The latency distribution as 1,000 quantiles (every 0.1%, in
  -- microseconds), so that the bench can pool several runs of a page.
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = string.format("%d", latency:percentile(i / 10))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"unexpected": %d, "unexpected_status": %d, "connect": %d, '
      .. '"read": %d, "write": %d, "status": %d, "timeout": %d, '
      .. '"cache_hit": %d, "cache_stale": %d, "cache_other": %d, '
      .. '"quantiles_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, unexpected, seen,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    hit, stale, other, table.concat(quantiles, ",")
  ))
end
