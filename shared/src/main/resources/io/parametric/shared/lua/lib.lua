--[[
  Shared functions, prepended to every script of this folder when it is loaded.

  ARGV[1] of every script is the settings line Fleet passes from ProtocolSettings (one Java place
  for every TTL, interval and limit a script uses): 'prefix=pp:{f}:;jobTtl=86400;...'. No script
  has its own constant.

  Keys: every key name is built here, by the k_* functions, which mirror FleetKeys (a test fails
  when they disagree). Scripts that reach keys of workers, jobs or managers they discover while
  running (placement, re-homing, outcomes) build them with these functions from the fleet prefix:
  every key of a fleet carries the same {fleet} hash tag, so this stays within one Cluster slot.

  Return codes: CODE below mirrors the Java enum ScriptCode (a test fails when they disagree).
]]
local S = {}
for k, v in string.gmatch(ARGV[1] or '', '([^=;]+)=([^;]*)') do
  S[k] = tonumber(v) or v
end
local P = S.prefix or ''

local CODE = {OK = 1, RETRY = 2, INTERRUPTING = 3, REMOVED = 4, FINISHED = 5, WATCHING = 6, SKIPPED = 7,
  GRACE = 8, STALE = -1, NO_SUCH_WORKER = -2, UNKNOWN_TYPE = -3, NO_JOB = -4, NOT_RUNNABLE = -5,
  POISON = -6, REPEATED = -7}

local function k_pids() return P .. 'pids' end
local function k_workers() return P .. 'workers' end
local function k_open() return P .. 'open' end
local function k_backlog() return P .. 'backlog' end
local function k_delayed() return P .. 'delayed' end
local function k_dead() return P .. 'dead' end
local function k_reaper() return P .. 'reaper' end
local function k_runid() return P .. 'runid' end
local function k_stale() return P .. 'stale' end
local function k_orphans() return P .. 'orphans' end
local function k_worker(pid) return P .. 'w:' .. pid end
local function k_pending(pid) return P .. 'w:' .. pid .. ':pending' end
local function k_inflight(pid) return P .. 'w:' .. pid .. ':inflight' end
local function k_signals(pid) return P .. 'w:' .. pid .. ':signals' end
local function k_value(name) return P .. 'v:' .. name end
local function k_worker_value(pid, name) return P .. 'w:' .. pid .. ':v:' .. name end
local function k_job(id) return P .. 'job:' .. id end
local function k_done(manager) return P .. 'done:' .. manager end
local function k_minute(n) return P .. 'minute:' .. n end
local function k_events() return P .. 'events' end
local function k_listening() return P .. 'listening' end
local function k_members() return P .. 'members' end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Counts an outcome ('done' or 'failed') in the fleet's per-minute counters (hash
-- 'minute:<epoch minute>', kept one hour: at most 61 such keys exist).
local function count_outcome(field)
  local key = k_minute(math.floor(now_ms() / 60000))
  redis.call('HINCRBY', key, field, 1)
  redis.call('EXPIRE', key, S.minuteTtl)
end

-- Appends a job event to the fleet's capped stream 'events', only while some listener of the
-- fleet has 'listening' set (a fleet nobody watches pays one EXISTS). Fields: kind, job, pid,
-- type (the registered type, else the payload's className) and, for STARTED the ms it waited,
-- for COMPLETED and FAILED the ms it ran ('ms').
local function emit_event(kind, jobid, pid)
  if redis.call('EXISTS', k_listening()) == 0 then return end
  local jkey = k_job(jobid)
  local h = redis.call('HMGET', jkey, 'type', 'created', 'started', 'payload')
  local jobtype = h[1]
  if (not jobtype or jobtype == '') and h[4] then
    jobtype = string.match(h[4], '"className"%s*:%s*"([^"]*)"')
  end
  local since = nil
  if kind == 'STARTED' then since = h[2] elseif kind == 'COMPLETED' or kind == 'FAILED' then since = h[3] end
  local ms = ''
  if since and tonumber(since) then ms = tostring(math.max(0, now_ms() - tonumber(since))) end
  redis.call('XADD', k_events(), 'MAXLEN', '~', S.eventsCap, '*', 'kind', kind, 'job', jobid,
    'pid', tostring(pid or ''), 'type', jobtype or '', 'ms', ms)
end

-- A worker can take new jobs: registered, live, not closing or closed.
local function worker_usable(pid)
  local state = redis.call('HGET', k_worker(pid), 'state')
  if not state or state == 'closing' or state == 'closed' or state == 'dead' then
    return false
  end
  return redis.call('ZSCORE', k_workers(), pid) ~= false
end

-- The worker lists the job type (types are stored as ",a,b,"); '' means any worker will do.
local function worker_has_type(pid, jobtype)
  if jobtype == nil or jobtype == '' then return true end
  local types = redis.call('HGET', k_worker(pid), 'types') or ''
  return string.find(types, ',' .. jobtype .. ',', 1, true) ~= nil
end

-- Queue a payload on a worker's pending list; the worker is no longer open. An idle worker blocks
-- on that list; a busy one takes the job when it finishes its own.
local function push_to_worker(pid, jobid, payload)
  redis.call('RPUSH', k_pending(pid), payload)
  redis.call('LREM', k_open(), 0, pid)
  redis.call('HSET', k_worker(pid), 'state', 'busy')
  if jobid and jobid ~= '' then
    redis.call('HSET', k_job(jobid), 'state', 'queued', 'pid', pid)
  end
end

-- Pop open workers until one can take the job (candidates: ',1,2,' or '*'); returns its pid or false.
-- Workers popped that cannot take it are put back, except dead and closed ones.
local function take_open_worker(jobtype, candidates)
  local open = k_open()
  local skipped = {}
  local found = false
  local n = redis.call('LLEN', open)
  for _ = 1, n do
    local pid = redis.call('LPOP', open)
    if not pid then break end
    if worker_usable(pid) then
      local wanted = candidates == '*' or string.find(candidates, ',' .. pid .. ',', 1, true) ~= nil
      if wanted and worker_has_type(pid, jobtype)
          and redis.call('LLEN', k_pending(pid)) == 0 then
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
local function place_open_or_backlog(jobid, payload, jobtype, candidates)
  local pid = take_open_worker(jobtype, candidates)
  if pid then
    push_to_worker(pid, jobid, payload)
    return tonumber(pid)
  end
  redis.call('RPUSH', k_backlog(), payload)
  if jobid and jobid ~= '' then
    redis.call('HSET', k_job(jobid), 'state', 'queued', 'pid', '')
  end
  return 0
end

-- Push an outcome to the completion list of every manager that re-attached to the job with
-- job(id) (field 'watchers' of the job hash, ",m1,m2,"; see watch-1.lua). Their completion-list
-- keys are built from the fleet like wkey().
local function notify_watchers(jkey, outcome)
  local watchers = redis.call('HGET', jkey, 'watchers')
  if not watchers then return end
  for manager in string.gmatch(watchers, '[^,]+') do
    local done = k_done(manager)
    redis.call('RPUSH', done, outcome)
    if redis.call('TTL', done) < 0 then redis.call('EXPIRE', done, S.doneTtl) end
  end
end

-- Record a failure outcome for a job no worker will run, and tell its manager and watchers.
local function fail_job(jobid, manager, outcome)
  local jkey = k_job(jobid)
  redis.call('HSET', jkey, 'state', 'failed', 'outcome', outcome, 'finished', now_ms())
  redis.call('EXPIRE', jkey, S.jobTtl)
  count_outcome('failed')
  emit_event('FAILED', jobid, '')
  if manager and manager ~= '' then
    local done = k_done(manager)
    redis.call('RPUSH', done, outcome)
    if redis.call('TTL', done) < 0 then redis.call('EXPIRE', done, S.doneTtl) end
  end
  notify_watchers(jkey, outcome)
end

-- The delivery limit a payload carries (maxDeliveries, the first delivery included); S.maxDeliveries when absent.
local function delivery_limit(job)
  local limit = tonumber(job.maxDeliveries)
  if limit == nil or limit < 1 then return S.maxDeliveries end
  return limit
end

-- Fails a job delivered more times than its limit: a dead-letter entry with the reason, a POISON
-- outcome on the job hash and its manager's completion list, so no waiter hangs.
local function poison_job(job, payload, deliveries, pid)
  local limit = delivery_limit(job)
  local why = 'delivered ' .. deliveries .. ' times, over its limit of ' .. limit
      .. ' (each delivery ended without an outcome: the job kills or hangs its worker)'
  redis.call('RPUSH', k_dead(), cjson.encode({reason = 'POISON: ' .. why, jobId = job.id, entry = payload}))
  emit_event('DEAD', job.id, pid)
  local outcome = cjson.encode({v = S.version, jobId = job.id, pid = tonumber(pid) or 0, ok = false, reason = 'POISON',
    message = 'job ' .. job.id .. ' was ' .. why .. '; it is in the dead-letter list: fix the job, then'
      .. ' requeueDeadLetters() or purgeDeadLetters()',
    attempt = deliveries})
  fail_job(job.id, job.manager, outcome)
end

-- Fails a job that was cancelled while its worker went away.
local function cancelled_job(job, pid)
  local outcome = cjson.encode({v = S.version, jobId = job.id, pid = tonumber(pid) or 0, ok = false, reason = 'CANCELLED',
    message = 'job ' .. job.id .. ' was cancelled', attempt = 0})
  fail_job(job.id, job.manager, outcome)
  redis.call('HSET', k_job(job.id), 'state', 'cancelled')
end

-- Takes a worker out of the fleet (publishing '-<pid>' on the members channel when it leaves the
-- live workers) and hands its jobs on: each queued (and, when include_inflight,
-- in-flight) job goes to an open worker or the fleet backlog; pinned jobs fail with WORKER_LOST;
-- an in-flight job that has used up its deliveries is poison; entries that are not jobs go to
-- the dead-letter list. Hands on at most S.chunk queued jobs per call; new_state '' hands on the
-- next chunk of a worker already out of the fleet (an orphan) and changes nothing else. Returns
-- moved, failed, dead-lettered, poisoned, and how many queued jobs remain (call again).
local function rehome_worker(pid, include_inflight, new_state, why)
  local whash, pending, inflight = k_worker(pid), k_pending(pid), k_inflight(pid)
  if new_state ~= '' and redis.call('EXISTS', whash) == 1 then
    if redis.call('HGET', whash, 'state') ~= new_state then
      redis.call('PUBLISH', k_signals(pid), 'x')
    end
    redis.call('HSET', whash, 'state', new_state)
    if new_state ~= 'closing' then
      -- An ended worker's hash stays readable (workers(), a late heartbeat learns its state) for
      -- the job TTL, then goes: no key of a closed or dead worker is kept for ever.
      redis.call('EXPIRE', whash, S.jobTtl)
    end
  end
  if new_state ~= '' then
    redis.call('LREM', k_open(), 0, pid)
  end
  if new_state ~= 'closing' and new_state ~= '' then
    if redis.call('ZREM', k_workers(), pid) == 1 then redis.call('PUBLISH', k_members(), '-' .. pid) end
  end

  -- In-flight holds at most the running job; queued jobs are handed on S.chunk per call, so no
  -- call walks a list of unbounded length. A worker with more left stays in 'orphans' until a
  -- further call (its closer's, or the reaper's) empties its list.
  local entries, running = {}, {}
  if include_inflight then
    for _, e in ipairs(redis.call('LRANGE', inflight, 0, -1)) do
      entries[#entries + 1] = e
      running[#entries] = true
    end
    redis.call('DEL', inflight)
  end
  for _ = 1, S.chunk do
    local e = redis.call('LPOP', pending)
    if not e then break end
    entries[#entries + 1] = e
  end
  local remaining = redis.call('LLEN', pending)
  if remaining > 0 and new_state ~= 'closing' then
    -- Out of the fleet with jobs left: a reaper finishes the hand-on if this caller does not.
    redis.call('SADD', k_orphans(), pid)
  else
    redis.call('SREM', k_orphans(), pid)
  end

  local moved, failed, dead, poisoned = 0, 0, 0, 0
  for i, payload in ipairs(entries) do
    local ok, job = pcall(cjson.decode, payload)
    if not ok or type(job) ~= 'table' or type(job.id) ~= 'string' then
      redis.call('RPUSH', k_dead(),
        cjson.encode({reason = 'not a job (re-homed from worker ' .. pid .. ')', entry = payload}))
      dead = dead + 1
    else
      local jkey = k_job(job.id)
      local state = redis.call('HGET', jkey, 'state')
      local deliveries = tonumber(redis.call('HGET', jkey, 'deliveries') or '0') or 0
      if state == 'done' or state == 'failed' or state == 'cancelled' then
        -- Already has its outcome (e.g. cancelled while queued): nothing to hand on.
      elseif state == 'cancelling' then
        cancelled_job(job, pid)
        failed = failed + 1
      elseif job.pinned == true then
        local outcome = cjson.encode({v = S.version, jobId = job.id, pid = tonumber(pid), ok = false, reason = 'WORKER_LOST',
          message = 'pinned job lost its worker ' .. pid .. ' (' .. why .. '); pinned jobs never move to another worker',
          attempt = deliveries})
        fail_job(job.id, job.manager, outcome)
        failed = failed + 1
      elseif running[i] and deliveries >= delivery_limit(job) then
        poison_job(job, payload, deliveries, pid)
        poisoned = poisoned + 1
      else
        local jobtype = ''
        if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
        place_open_or_backlog(job.id, payload, jobtype, '*')
        if redis.call('EXISTS', jkey) == 1 then
          redis.call('HINCRBY', jkey, 'rehomed', 1)
        end
        moved = moved + 1
      end
    end
  end
  return moved, failed, dead, poisoned, remaining
end

-- Moves up to max delayed jobs that are due (score <= now) to an open worker or the backlog.
-- Returns how many moved.
local function promote_due(now, max)
  local delayed = k_delayed()
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, max)
  for _, payload in ipairs(due) do
    redis.call('ZREM', delayed, payload)
    local ok, job = pcall(cjson.decode, payload)
    if not ok or type(job) ~= 'table' or type(job.id) ~= 'string' then
      redis.call('RPUSH', k_dead(), cjson.encode({reason = 'not a job (in the delayed set)', entry = payload}))
    else
      local jobtype = ''
      if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
      place_open_or_backlog(job.id, payload, jobtype, '*')
    end
  end
  return #due
end

-- Starts an entry that is in a worker's in-flight list: counts the delivery and marks the job
-- running, unless the job has no hash (dead-letter entry written; the job fails BAD_PAYLOAD where
-- the entry names its manager), was cancelled or already ended, or is over its delivery limit
-- (poison). Returns the code (OK, NO_JOB, NOT_RUNNABLE or POISON) and the delivery count.
local function start_entry(pid, payload, jobid, dead_entry)
  local jkey = k_job(jobid)
  if redis.call('EXISTS', jkey) == 0 then
    redis.call('RPUSH', k_dead(), dead_entry)
    -- The entry still names its manager: fail the job there, so its waiter raises instead of hanging.
    local ok, job = pcall(cjson.decode, payload)
    if ok and type(job) == 'table' and type(job.id) == 'string' and type(job.manager) == 'string' and job.manager ~= '' then
      fail_job(job.id, job.manager, cjson.encode({v = S.version, jobId = job.id, pid = tonumber(pid) or 0, ok = false,
        reason = 'BAD_PAYLOAD', message = 'job ' .. job.id .. ' has no job hash on worker ' .. pid
          .. ' (it expired, was deleted, or the entry was never placed by a manager); it went to the dead-letter list',
        attempt = 0}))
    end
    return CODE.NO_JOB, 0
  end
  local state = redis.call('HGET', jkey, 'state')
  if state == 'cancelled' or state == 'cancelling' or state == 'done' or state == 'failed' then
    return CODE.NOT_RUNNABLE, 0
  end
  local deliveries = redis.call('HINCRBY', jkey, 'deliveries', 1)
  local ok, job = pcall(cjson.decode, payload)
  if ok and type(job) == 'table' and type(job.id) == 'string' and deliveries > delivery_limit(job) then
    poison_job(job, payload, deliveries, pid)
    return CODE.POISON, deliveries
  end
  redis.call('HSET', jkey, 'state', 'running', 'pid', pid, 'started', now_ms())
  redis.call('HSET', k_worker(pid), 'state', 'busy', 'job', jobid)
  emit_event('STARTED', jobid, pid)
  return CODE.OK, deliveries
end

-- An id as JobPayload admits it: 1 to S.maxId printable ASCII characters, no space.
local function valid_id(id)
  return type(id) == 'string' and #id >= 1 and #id <= S.maxId and string.match(id, '^[!-~]+$') ~= nil
end

-- Takes a worker's next job into its in-flight list — its own pending list first, else the fleet
-- backlog — and starts it (start_entry). Entries that are not to run (cancelled, no job hash,
-- poison) are dropped from in-flight and the next is taken, at most S.skipMax of them. An entry
-- that cannot be read as a job, or whose job hash cannot be updated, is returned unstarted: the
-- worker dead-letters or fails it. Returns the
-- entry, its start code (0 when unstarted) and deliveries; nil when there is nothing to take.
local function take_and_start(pid)
  local inflight = k_inflight(pid)
  for _ = 0, S.skipMax do
    local entry = redis.call('LMOVE', k_pending(pid), inflight, 'LEFT', 'RIGHT')
      or redis.call('LMOVE', k_backlog(), inflight, 'LEFT', 'RIGHT')
    if not entry then return nil end
    local ok, job = pcall(cjson.decode, entry)
    if not ok or type(job) ~= 'table' or not valid_id(job.id) or job.v ~= S.version
        or (job.manager ~= nil and not valid_id(job.manager))
        or (job.form ~= 'type' and job.form ~= 'record' and job.form ~= 'lambda') then
      return entry, 0, 0
    end
    local started, code, deliveries = pcall(start_entry, pid, entry, job.id, cjson.encode({
      reason = 'job ' .. job.id .. ' has no job hash (never placed, or expired)', entry = entry}))
    -- A job hash Redis refuses to update (a field that is not a number, a key of another type):
    -- handed over unstarted, the worker's start-4.lua call fails the same way and it fails the job.
    if not started then return entry, 0, 0 end
    if code == CODE.OK then return entry, code, deliveries end
    redis.call('LREM', inflight, 1, entry)
    redis.call('HDEL', k_worker(pid), 'job')
  end
  return nil
end
