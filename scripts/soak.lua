-- wrk's script for scripts/bench_soak.py: readers moving between pages.
--
--   wrk ... -s scripts/soak.lua http://127.0.0.1:8000 -- /path1 /path2 ...
--
-- Each thread asks for the paths in turn (starting at a different one),
-- counts the answers by class (2xx, 3xx, 4xx, 5xx) and, when the run ends,
-- prints one machine-readable line for the soak to read.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads)
end

function init(args)
  paths = {}
  for i = 1, #args do
    paths[i] = args[i]
  end
  n = offset or 0
  counts = {0, 0, 0, 0, 0}
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end

function response(status, headers, body)
  local class = math.floor(status / 100)
  if class >= 1 and class <= 5 then
    counts[class] = counts[class] + 1
  end
end

function done(summary, latency, requests)
  local total = {0, 0, 0, 0, 0}
  for _, thread in ipairs(threads) do
    local counted = thread:get("counts")
    for class = 1, 5 do
      total[class] = total[class] + counted[class]
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'SOAK-RESULT {"requests": %d, "duration_us": %d, "2xx": %d, "3xx": %d, '
      .. '"4xx": %d, "5xx": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, total[2], total[3], total[4], total[5],
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(99)
  ))
end
