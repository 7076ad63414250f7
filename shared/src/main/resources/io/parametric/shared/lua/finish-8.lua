--[[
  Finishes a job and starts the next (finish-and-take-next, one round trip per job on a busy
  worker): stores its outcome in the job hash and the worker hash, removes it from the worker's
  in-flight list, notifies the placing manager (and any watchers), then takes the worker's next
  job — its pending list first, else the backlog — into in-flight and starts it as start-4.lua
  does (lib.lua's take_and_start), or, with nothing to take, puts the worker on the open-worker list. Also used to drop an
  entry that cannot be read as a job (with a dead-letter entry instead of, or beside, an outcome).
  Retries: a JOB_FAILED outcome of a job whose payload asks for retries (field retries) and has
  attempts left is not stored: the job goes to the delayed-jobs set, due after 1 s, 2 s, 4 s ... (at most 1 h)
  (Redis time), its deliveries reset, 'attempts' counted and the failure kept in 'lastError'; the
  outcome stored when no retry is left has 'attempt' = every run (1 + retries).
  Cancellation: a failure of a job being cancelled (state 'cancelling') is stored as CANCELLED.
  Fencing: the in-flight entry is the lease; a worker whose job was re-homed no longer has it
  and its late completion is refused (STALE) without writing anything.
  Repeat-safe: a repeated call finds its own outcome stored and answers REPEATED without writing.
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker hash
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] dead-letter list
    KEYS[7] job hash (ignored without an outcome)
    KEYS[8] the placing manager's completion list (ignored when ARGV[7] is '')
    ARGV[1] settings (see lib.lua)
    ARGV[2] payload (the exact in-flight entry)
    ARGV[3] pid
    ARGV[4] outcome JSON, or ''
    ARGV[5] job state: 'done' or 'failed'
    ARGV[6] dead-letter entry, or ''
    ARGV[7] '1' to notify the manager, else ''
  Reaches the delayed-jobs set, the completion lists of the job's watchers (managers that
  re-attached with job(id)) and the job hash of the next job through lib.lua's k_* functions.
  Output:
    {OK}          finished; nothing to take: the worker is open
    {OK, payload, started, deliveries}  finished; payload was taken into in-flight; started is
                  OK (run it, deliveries counted) or 0 (not readable as a job: dead-letter it)
    {RETRY}       the job failed and will be retried (in the delayed-jobs set); as {OK} otherwise
    {RETRY, payload, started, deliveries}  as {OK, payload, ...}, after scheduling a retry
    {REPEATED} / {REPEATED, payload, 0, 0}  this worker's outcome for the job is already stored (a repeated call): nothing written
    {STALE}       stale: the entry is no longer in this worker's in-flight list (re-homed), nothing written
]]
if redis.call('LREM', KEYS[1], 1, ARGV[2]) == 0 then
  -- A call repeated after its reply was lost (Redis died right after running it) finds its own
  -- outcome already stored under this pid: not a late completion of a re-homed job.
  local st = redis.call('HGET', KEYS[7], 'state')
  if ARGV[4] ~= '' and redis.call('HGET', KEYS[7], 'pid') == ARGV[3]
      and (st == 'done' or st == 'failed' or st == 'cancelled' or st == 'delayed') then
    -- The first call may have taken the next job: hand it over again (unstarted: the worker starts it).
    local next_job = redis.call('LINDEX', KEYS[1], 0)
    if next_job then return {CODE.REPEATED, next_job, 0, 0} end
    return {CODE.REPEATED}
  end
  return {CODE.STALE}
end
if ARGV[6] ~= '' then
  redis.call('RPUSH', KEYS[6], ARGV[6])
end
local code = CODE.OK
local outcome = ARGV[4]
local job_state = ARGV[5]
if outcome ~= '' and job_state == 'failed' then
  local ok, o = pcall(cjson.decode, outcome)
  local ok2, job = pcall(cjson.decode, ARGV[2])
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
    elseif o.reason == 'JOB_FAILED' then
      local retries = tonumber(job.retries) or 0
      local attempts = tonumber(redis.call('HGET', KEYS[7], 'attempts') or '0') or 0
      if attempts < retries then
        local delay = math.min(S.retryBaseMs * math.pow(2, attempts), S.retryMaxMs)
        redis.call('ZADD', k_delayed(), now_ms() + delay, ARGV[2])
        redis.call('HSET', KEYS[7], 'state', 'delayed', 'attempts', attempts + 1, 'deliveries', 0,
          'lastError', outcome, 'due', now_ms() + delay)
        outcome = ''
        code = CODE.RETRY
        emit_event('RETRIED', job.id, ARGV[3])
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
  redis.call('EXPIRE', KEYS[7], S.jobTtl)
  redis.call('HSET', KEYS[3], 'ret', outcome)
  redis.call('HINCRBY', KEYS[3], ARGV[5], 1)
  count_outcome(ARGV[5])
  emit_event(ARGV[5] == 'done' and 'COMPLETED' or 'FAILED', string.sub(KEYS[7], #P + 5), ARGV[3])
  if ARGV[7] == '1' then
    redis.call('RPUSH', KEYS[8], outcome)
    if redis.call('TTL', KEYS[8]) < 0 then redis.call('EXPIRE', KEYS[8], S.doneTtl) end
  end
  notify_watchers(KEYS[7], outcome)
end
redis.call('HDEL', KEYS[3], 'job')
local state = redis.call('HGET', KEYS[3], 'state')
if state == 'closing' or state == 'closed' or state == 'dead' then
  return {code}
end
local next_job, started, deliveries = take_and_start(ARGV[3])
if next_job then
  return {code, next_job, started, deliveries}
end
if redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('LREM', KEYS[4], 0, ARGV[3])
  redis.call('RPUSH', KEYS[4], ARGV[3])
  redis.call('HSET', KEYS[3], 'state', 'idle')
end
return {code}
