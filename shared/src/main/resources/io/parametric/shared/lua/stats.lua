--[[
  Reads one consistent snapshot of a fleet for monitoring; writes nothing. Reaches the keys of
  the live workers it finds and the records of their running jobs through lib.lua's k_*
  functions. Replies with a plain list (no return code): it cannot fail.
  Repeat-safe: it only reads.
  Input:
    KEYS[1] workers (sorted set of live pids by heartbeat)
    ARGV[1] settings (see lib.lua)
    ARGV[2] how many minutes of per-minute counters to return (the current one included), 1..60
  Output:
    {now_ms, backlog, delayed, dead, minutes, workers}
      minutes: {epoch_minute, done, failed} per minute, newest first
      workers: per live worker, ascending pid, {pid, heartbeat_ms, pending, inflight,
               name, kind, host, state, job, done, failed, job_started_ms, missingClass}
               (missing fields are '')
]]
local now = now_ms()
local reply = {now, redis.call('LLEN', k_backlog()), redis.call('ZCARD', k_delayed()),
  redis.call('LLEN', k_dead())}

local minutes = {}
local current = math.floor(now / 60000)
local span = math.min(60, math.max(1, tonumber(ARGV[2]) or 1))
for m = current, current - span + 1, -1 do
  local counts = redis.call('HMGET', k_minute(m), 'done', 'failed')
  minutes[#minutes + 1] = {m, tonumber(counts[1]) or 0, tonumber(counts[2]) or 0}
end
reply[5] = minutes

local workers = {}
local live = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #live, 2 do
  local pid = live[i]
  local h = redis.call('HMGET', k_worker(pid), 'name', 'kind', 'host', 'state', 'job', 'done', 'failed', 'missingClass')
  local started = ''
  if h[5] then
    local r = read_rec(h[5])
    if r and r.state == 'running' then started = r.ms end
  end
  workers[#workers + 1] = {tonumber(pid), tonumber(live[i + 1]),
    redis.call('LLEN', k_pending(pid)), redis.call('LLEN', k_inflight(pid)),
    h[1] or '', h[2] or '', h[3] or '', h[4] or '', h[5] or '', tonumber(h[6]) or 0, tonumber(h[7]) or 0, started,
    h[8] or ''}
end
table.sort(workers, function(a, b) return a[1] < b[1] end)
reply[6] = workers
return reply
