--[[
  Finishes a job: stores its outcome in the job hash and the worker hash, removes it from the
  worker's in-flight list, notifies the placing manager (and any watchers), then takes the next backlog job when the
  worker's own list is empty, else puts the worker on the open-worker list. Also used to drop an
  entry that cannot be read as a job (with a dead-letter entry instead of, or beside, an outcome).
  Retries: a JOB_FAILED outcome of a job whose payload asks for retries (field retries) and has
  attempts left is not stored: the job goes to the delayed-jobs set, due after 1 s, 2 s, 4 s ...
  (Redis time), its deliveries reset, 'attempts' counted and the failure kept in 'lastError'; the
  outcome stored when no retry is left has 'attempt' = every run (1 + retries).
  Cancellation: a failure of a job being cancelled (state 'cancelling') is stored as CANCELLED.
  Fencing: the in-flight entry is the lease; a worker whose job was re-homed no longer has it
  and its late completion is refused (-1) without writing anything.
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker hash
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] dead-letter list
    KEYS[7] job hash (ignored without an outcome)
    KEYS[8] the placing manager's completion list (ignored when ARGV[7] is '')
    ARGV[1] payload (the exact in-flight entry)
    ARGV[2] pid
    ARGV[3] outcome JSON, or ''
    ARGV[4] job state: 'done' or 'failed'
    ARGV[5] dead-letter entry, or ''
    ARGV[6] job hash TTL after the outcome, seconds
    ARGV[7] '1' to notify the manager, else ''
    ARGV[8] fleet prefix (to reach the delayed-jobs set and the completion lists of the job's
            watchers, managers that re-attached with job(id); see lib.lua)
  Output:
    {1}           finished; the worker is open or has jobs queued
    {1, payload}  finished; payload was taken from the backlog into in-flight
    {2}           the job failed and will be retried (in the delayed-jobs set); as {1} otherwise
    {2, payload}  as {1, payload}, after scheduling a retry
    {-3}          this worker's outcome for the job is already stored (a repeated call): nothing written
    {-1}          stale: the entry is no longer in this worker's in-flight list (re-homed), nothing written
]]
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  -- A call repeated after its reply was lost (Redis died right after running it) finds its own
  -- outcome already stored under this pid: not a late completion of a re-homed job.
  local st = redis.call('HGET', KEYS[7], 'state')
  if ARGV[3] ~= '' and redis.call('HGET', KEYS[7], 'pid') == ARGV[2]
      and (st == 'done' or st == 'failed' or st == 'cancelled' or st == 'delayed') then
    return {-3}
  end
  return {-1}
end
if ARGV[5] ~= '' then
  redis.call('RPUSH', KEYS[6], ARGV[5])
end
local code = 1
local outcome = ARGV[3]
local job_state = ARGV[4]
if outcome ~= '' and job_state == 'failed' then
  local ok, o = pcall(cjson.decode, outcome)
  local ok2, job = pcall(cjson.decode, ARGV[1])
  local current = redis.call('HGET', KEYS[7], 'state')
  if ok and type(o) == 'table' and ok2 and type(job) == 'table' then
    if current == 'cancelling' then
      o.reason = 'CANCELLED'
      o.message = 'job ' .. tostring(job.id) .. ' was cancelled while running (it ended: '
        .. tostring(o.message) .. ')'
      o.errorClass = nil
      o.stackTrace = nil
      outcome = cjson.encode(o)
      job_state = 'cancelled'
    elseif o.reason == 'JOB_FAILED' and (ARGV[8] or '') ~= '' then
      local retries = tonumber(job.retries) or 0
      local attempts = tonumber(redis.call('HGET', KEYS[7], 'attempts') or '0') or 0
      if attempts < retries then
        local delay = 1000 * math.pow(2, attempts)
        redis.call('ZADD', ARGV[8] .. 'delayed', now_ms() + delay, ARGV[1])
        redis.call('HSET', KEYS[7], 'state', 'delayed', 'attempts', attempts + 1, 'deliveries', 0,
          'lastError', outcome, 'due', now_ms() + delay)
        outcome = ''
        code = 2
        emit_event(ARGV[8], 'RETRIED', job.id, ARGV[2])
      elseif retries > 0 then
        -- Out of retries: the stored outcome's 'attempt' counts every run, so the error can say how many.
        o.attempt = attempts + 1
        outcome = cjson.encode(o)
      end
    end
  end
end
if outcome ~= '' then
  redis.call('HSET', KEYS[7], 'state', job_state, 'outcome', outcome, 'finished', now_ms())
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[6]))
  redis.call('HSET', KEYS[3], 'ret', outcome)
  redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
  if (ARGV[8] or '') ~= '' then
    count_outcome(ARGV[8], ARGV[4])
    emit_event(ARGV[8], ARGV[4] == 'done' and 'COMPLETED' or 'FAILED', string.sub(KEYS[7], #ARGV[8] + 5), ARGV[2])
  end
  if ARGV[7] == '1' then
    redis.call('RPUSH', KEYS[8], outcome)
    if redis.call('TTL', KEYS[8]) < 0 then redis.call('EXPIRE', KEYS[8], 3600) end
  end
  if (ARGV[8] or '') ~= '' then
    notify_watchers(ARGV[8], KEYS[7], outcome)
  end
end
redis.call('HDEL', KEYS[3], 'job')
local state = redis.call('HGET', KEYS[3], 'state')
if state == 'closing' or state == 'closed' or state == 'dead' then
  return {code}
end
if redis.call('LLEN', KEYS[2]) == 0 then
  local next_job = redis.call('LMOVE', KEYS[5], KEYS[1], 'LEFT', 'RIGHT')
  if next_job then
    return {code, next_job}
  end
  redis.call('LREM', KEYS[4], 0, ARGV[2])
  redis.call('RPUSH', KEYS[4], ARGV[2])
  redis.call('HSET', KEYS[3], 'state', 'idle')
end
return {code}
