--[[
  Shared functions, prepended to every script of this folder when it is loaded.

  A few scripts reach keys of workers they discover while running (placement, re-homing). They
  build those keys from the fleet prefix passed in ARGV, only through wkey() below: every key
  of a fleet carries the same {fleet} hash tag, so this stays within one Redis Cluster slot.
]]
local function wkey(prefix, pid, suffix)
  return prefix .. 'w:' .. pid .. (suffix or '')
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A worker can take new jobs: registered, live, not closing or closed.
local function worker_usable(prefix, pid)
  local state = redis.call('HGET', wkey(prefix, pid), 'state')
  if not state or state == 'closing' or state == 'closed' or state == 'dead' then
    return false
  end
  return redis.call('ZSCORE', prefix .. 'workers', pid) ~= false
end

-- The worker lists the job type (types are stored as ",a,b,"); '' means any worker will do.
local function worker_has_type(prefix, pid, jobtype)
  if jobtype == nil or jobtype == '' then return true end
  local types = redis.call('HGET', wkey(prefix, pid), 'types') or ''
  return string.find(types, ',' .. jobtype .. ',', 1, true) ~= nil
end

-- Queue a payload on a worker's pending list; the worker is no longer open.
local function push_to_worker(prefix, pid, jobid, payload)
  redis.call('RPUSH', wkey(prefix, pid, ':pending'), payload)
  redis.call('LREM', prefix .. 'open', 0, pid)
  redis.call('HSET', wkey(prefix, pid), 'state', 'busy')
  if jobid and jobid ~= '' then
    redis.call('HSET', prefix .. 'job:' .. jobid, 'state', 'queued', 'pid', pid)
  end
end

-- Pop open workers until one can take the job (candidates: ',1,2,' or '*'); returns its pid or false.
-- Workers popped that cannot take it are put back, except dead and closed ones.
local function take_open_worker(prefix, jobtype, candidates)
  local open = prefix .. 'open'
  local skipped = {}
  local found = false
  local n = redis.call('LLEN', open)
  for _ = 1, n do
    local pid = redis.call('LPOP', open)
    if not pid then break end
    if worker_usable(prefix, pid) then
      local wanted = candidates == '*' or string.find(candidates, ',' .. pid .. ',', 1, true) ~= nil
      if wanted and worker_has_type(prefix, pid, jobtype)
          and redis.call('LLEN', wkey(prefix, pid, ':pending')) == 0 then
        found = pid
        break
      end
      table.insert(skipped, pid)
    end
  end
  for i = #skipped, 1, -1 do
    redis.call('LPUSH', open, skipped[i])
  end
  return found
end

-- Place on the first open worker, else on the fleet backlog. Returns the pid, or 0 for the backlog.
local function place_open_or_backlog(prefix, jobid, payload, jobtype, candidates)
  local pid = take_open_worker(prefix, jobtype, candidates)
  if pid then
    push_to_worker(prefix, pid, jobid, payload)
    return tonumber(pid)
  end
  redis.call('RPUSH', prefix .. 'backlog', payload)
  if jobid and jobid ~= '' then
    redis.call('HSET', prefix .. 'job:' .. jobid, 'state', 'queued', 'pid', '')
  end
  return 0
end

-- Record a failure outcome for a job no worker will run, and tell its manager.
local function fail_job(prefix, jobid, manager, outcome, ttl)
  local jkey = prefix .. 'job:' .. jobid
  redis.call('HSET', jkey, 'state', 'failed', 'outcome', outcome, 'finished', now_ms())
  redis.call('EXPIRE', jkey, ttl)
  if manager and manager ~= '' then
    local done = prefix .. 'done:' .. manager
    redis.call('RPUSH', done, outcome)
    if redis.call('TTL', done) < 0 then redis.call('EXPIRE', done, 3600) end
  end
end
