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

-- Counts an outcome ('done' or 'failed') in the fleet's per-minute counters (hash
-- 'minute:<epoch minute>', kept one hour: at most 61 such keys exist).
local function count_outcome(prefix, field)
  local key = prefix .. 'minute:' .. math.floor(now_ms() / 60000)
  redis.call('HINCRBY', key, field, 1)
  redis.call('EXPIRE', key, 3660)
end

-- Appends a job event to the fleet's capped stream 'events', only while some listener of the
-- fleet has 'listening' set (a fleet nobody watches pays one EXISTS). Fields: kind, job, pid,
-- type and, for STARTED the ms it waited, for COMPLETED and FAILED the ms it ran ('ms').
local function emit_event(prefix, kind, jobid, pid)
  if redis.call('EXISTS', prefix .. 'listening') == 0 then return end
  local jkey = prefix .. 'job:' .. jobid
  local h = redis.call('HMGET', jkey, 'type', 'created', 'started')
  local since = nil
  if kind == 'STARTED' then since = h[2] elseif kind == 'COMPLETED' or kind == 'FAILED' then since = h[3] end
  local ms = ''
  if since and tonumber(since) then ms = tostring(math.max(0, now_ms() - tonumber(since))) end
  redis.call('XADD', prefix .. 'events', 'MAXLEN', '~', 10000, '*', 'kind', kind, 'job', jobid,
    'pid', tostring(pid or ''), 'type', h[1] or '', 'ms', ms)
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

-- Push an outcome to the completion list of every manager that re-attached to the job with
-- job(id) (field 'watchers' of the job hash, ",m1,m2,"; see watch-1.lua). Their completion-list
-- keys are built from the fleet prefix, like wkey().
local function notify_watchers(prefix, jkey, outcome)
  local watchers = redis.call('HGET', jkey, 'watchers')
  if not watchers then return end
  for manager in string.gmatch(watchers, '[^,]+') do
    local done = prefix .. 'done:' .. manager
    redis.call('RPUSH', done, outcome)
    if redis.call('TTL', done) < 0 then redis.call('EXPIRE', done, 3600) end
  end
end

-- Record a failure outcome for a job no worker will run, and tell its manager and watchers.
local function fail_job(prefix, jobid, manager, outcome, ttl)
  local jkey = prefix .. 'job:' .. jobid
  redis.call('HSET', jkey, 'state', 'failed', 'outcome', outcome, 'finished', now_ms())
  redis.call('EXPIRE', jkey, ttl)
  count_outcome(prefix, 'failed')
  emit_event(prefix, 'FAILED', jobid, '')
  if manager and manager ~= '' then
    local done = prefix .. 'done:' .. manager
    redis.call('RPUSH', done, outcome)
    if redis.call('TTL', done) < 0 then redis.call('EXPIRE', done, 3600) end
  end
  notify_watchers(prefix, jkey, outcome)
end

-- The delivery limit a payload carries (maxDeliveries, the first delivery included); 3 when absent.
local function delivery_limit(job)
  local limit = tonumber(job.maxDeliveries)
  if limit == nil or limit < 1 then return 3 end
  return limit
end

-- Fails a job delivered more times than its limit: a dead-letter entry with the reason, a POISON
-- outcome on the job hash and its manager's completion list, so no waiter hangs.
local function poison_job(prefix, job, payload, deliveries, pid, ttl)
  local limit = delivery_limit(job)
  local why = 'delivered ' .. deliveries .. ' times, over its limit of ' .. limit
      .. ' (each delivery ended without an outcome: the job kills or hangs its worker)'
  redis.call('RPUSH', prefix .. 'dead', cjson.encode({reason = 'POISON: ' .. why, jobId = job.id, entry = payload}))
  emit_event(prefix, 'DEAD', job.id, pid)
  local outcome = cjson.encode({v = 1, jobId = job.id, pid = tonumber(pid) or 0, ok = false, reason = 'POISON',
    message = 'job ' .. job.id .. ' was ' .. why .. '; it is in the dead-letter list: fix the job, then'
      .. ' requeueDeadLetters() or purgeDeadLetters()',
    attempt = deliveries})
  fail_job(prefix, job.id, job.manager, outcome, ttl)
end

-- Fails a job that was cancelled while its worker went away.
local function cancelled_job(prefix, job, pid, ttl)
  local outcome = cjson.encode({v = 1, jobId = job.id, pid = tonumber(pid) or 0, ok = false, reason = 'CANCELLED',
    message = 'job ' .. job.id .. ' was cancelled', attempt = 0})
  fail_job(prefix, job.id, job.manager, outcome, ttl)
  redis.call('HSET', prefix .. 'job:' .. job.id, 'state', 'cancelled')
end

-- Takes a worker out of the fleet and hands its jobs on: each queued (and, when include_inflight,
-- in-flight) job goes to an open worker or the fleet backlog; pinned jobs fail with WORKER_LOST;
-- an in-flight job that has used up its deliveries is poison; entries that are not jobs go to
-- the dead-letter list. Returns moved, failed, dead-lettered, poisoned.
local function rehome_worker(prefix, pid, include_inflight, new_state, ttl, why)
  local whash, pending, inflight = wkey(prefix, pid), wkey(prefix, pid, ':pending'), wkey(prefix, pid, ':inflight')
  if redis.call('EXISTS', whash) == 1 then
    redis.call('HSET', whash, 'state', new_state)
  end
  redis.call('LREM', prefix .. 'open', 0, pid)
  if new_state ~= 'closing' then
    redis.call('ZREM', prefix .. 'workers', pid)
  end

  local entries, running = {}, {}
  if include_inflight then
    for _, e in ipairs(redis.call('LRANGE', inflight, 0, -1)) do
      entries[#entries + 1] = e
      running[#entries] = true
    end
    redis.call('DEL', inflight)
  end
  for _, e in ipairs(redis.call('LRANGE', pending, 0, -1)) do entries[#entries + 1] = e end
  redis.call('DEL', pending)

  local moved, failed, dead, poisoned = 0, 0, 0, 0
  for i, payload in ipairs(entries) do
    local ok, job = pcall(cjson.decode, payload)
    if not ok or type(job) ~= 'table' or type(job.id) ~= 'string' then
      redis.call('RPUSH', prefix .. 'dead',
        cjson.encode({reason = 'not a job (re-homed from worker ' .. pid .. ')', entry = payload}))
      dead = dead + 1
    else
      local jkey = prefix .. 'job:' .. job.id
      local state = redis.call('HGET', jkey, 'state')
      local deliveries = tonumber(redis.call('HGET', jkey, 'deliveries') or '0') or 0
      if state == 'done' or state == 'failed' or state == 'cancelled' then
        -- Already has its outcome (e.g. cancelled while queued): nothing to hand on.
      elseif state == 'cancelling' then
        cancelled_job(prefix, job, pid, ttl)
        failed = failed + 1
      elseif job.pinned == true then
        local outcome = cjson.encode({v = 1, jobId = job.id, pid = tonumber(pid), ok = false, reason = 'WORKER_LOST',
          message = 'pinned job lost its worker ' .. pid .. ' (' .. why .. '); pinned jobs never move to another worker',
          attempt = deliveries})
        fail_job(prefix, job.id, job.manager, outcome, ttl)
        failed = failed + 1
      elseif running[i] and deliveries >= delivery_limit(job) then
        poison_job(prefix, job, payload, deliveries, pid, ttl)
        poisoned = poisoned + 1
      else
        local jobtype = ''
        if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
        place_open_or_backlog(prefix, job.id, payload, jobtype, '*')
        if redis.call('EXISTS', jkey) == 1 then
          redis.call('HINCRBY', jkey, 'rehomed', 1)
        end
        moved = moved + 1
      end
    end
  end
  return moved, failed, dead, poisoned
end

-- Moves up to max delayed jobs that are due (score <= now) to an open worker or the backlog.
-- Returns how many moved.
local function promote_due(prefix, now, max)
  local delayed = prefix .. 'delayed'
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, max)
  for _, payload in ipairs(due) do
    redis.call('ZREM', delayed, payload)
    local ok, job = pcall(cjson.decode, payload)
    if not ok or type(job) ~= 'table' or type(job.id) ~= 'string' then
      redis.call('RPUSH', prefix .. 'dead', cjson.encode({reason = 'not a job (in the delayed set)', entry = payload}))
    else
      local jobtype = ''
      if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
      place_open_or_backlog(prefix, job.id, payload, jobtype, '*')
    end
  end
  return #due
end
