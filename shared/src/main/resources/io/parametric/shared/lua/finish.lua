--[[
  Finish-and-take-next: stores the outcomes of the jobs a worker ran, then takes its next jobs as
  take.lua does, in one round trip.
  The records of all outcomes are read in one HMGET and written, with the entries deleted, in one
  HSET and one HDEL at the end (lib.lua's batch). The ids leave the in-flight list with one LTRIM
  when they are its head, in order, as a worker finishes them.
  Per outcome: the id leaves the in-flight list (fencing: when it is not there the job was
  re-homed and the completion is refused, counted in 'stale' — unless this worker's outcome is
  already stored, a call repeated after a lost reply); a JOB_FAILED outcome of a job with retries
  left goes to the delayed-jobs set (record 'delayed', attempts counted) instead; a failure of a
  job being cancelled is stored as CANCELLED (unsigned, no value); else the outcome is stored
  (lib.lua's store_outcome: record, completion lists of the manager and watchers, key freed,
  entry removed, retention trimmed).
  Repeat-safe: an outcome this worker already stored is REPEATED, nothing is written twice.
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker record
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] live workers (sorted set)
    KEYS[7] entries (hash)
    KEYS[8] records (hash)
    KEYS[9] dead-letter list
    KEYS[10] finished ids (list)
    KEYS[11] delayed jobs (sorted set)
    KEYS[12] late completions refused (string)
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] batch: how many jobs the worker holds at most (0: take none, it is stopping)
    ARGV[4..] per outcome, 7 entries: job id, state ('done' or 'failed'), reason ('' or a
              ProcessError reason), the signed outcome, then what the worker read from the job's
              checked entry: its retries ('' when it could not read it: the entry is read here),
              its key ('' for none) and its manager (m). Otherwise the entry is read only while
              events are listened to (their type label).
  Reaches the completion lists of managers and watchers through lib.lua.
  Output:
    {OK, n, code1 .. coden, more, id, entry, deliveries, ...}  a code per outcome (OK, RETRY,
        STALE, REPEATED), then 'more' and every id in flight as take.lua returns them (more 0 and
        none when the worker is closing, closed or no longer live)
]]
-- The retries a job's entry allows, read from the entry (only when the worker could not say).
local function retries_of(job)
  return tonumber(job.entry and (read_entry(job.entry) or {}).re or job.re) or 0
end

local pid = ARGV[2]
local n = (#ARGV - 3) / 7
local reply = {CODE.OK, n}
local done, failed = 0, 0
local last
-- Every record read in one HMGET (one HGET for a single outcome: no table), and written at the end
-- in one HSET (begin_batch).
local ids, texts, single
if n == 1 then
  single = redis.call('HGET', KEYS[8], ARGV[4])
else
  ids = {}
  for i = 1, n do ids[i] = ARGV[4 + (i - 1) * 7] end
  texts = rec_texts(ids)
end
-- The worker finishes its jobs in the order it took them: when the outcomes' ids are the head of
-- the in-flight list, one LTRIM takes them all off (else, and for a single outcome, one LREM per id).
local at_head = n > 1
if at_head then
  local head = redis.call('LRANGE', KEYS[1], '0', num_text(n - 1))
  for i = 1, n do
    if head[i] ~= ids[i] then at_head = false break end
  end
  if at_head then redis.call('LTRIM', KEYS[1], num_text(n), '-1') end
end
begin_batch()
for i = 1, n do
  local b = 3 + (i - 1) * 7
  local id, state, reason, outcome = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local retries, key, manager = tonumber(ARGV[b + 5]), ARGV[b + 6], ARGV[b + 7]
  local r
  if n == 1 then r = read_rec(id, single) else r = read_rec(id, texts[i]) end
  if not at_head and redis.call('LREM', KEYS[1], '1', id) == 0 then
    if r and r.pid == pid and (ended(r.state) or r.state == 'delayed') then
      reply[#reply + 1] = CODE.REPEATED
    else
      redis.call('INCRBY', KEYS[12], '1')
      reply[#reply + 1] = CODE.STALE
    end
  else
    local job
    if retries == nil or events_on() then
      -- '' when it vanished or grew past the size limit: routed by its id then.
      job = entry_routing(bounded_entry(id) or '')
    else
      job = {m = manager, key = key ~= '' and key or nil}
    end
    r = r or {deliveries = 0, attempts = 0}
    local code = CODE.OK
    if state == 'failed' and r.state == 'cancelling' then
      state = 'cancelled'
      outcome = script_outcome(id, pid, 'CANCELLED', 'job ' .. id .. ' was cancelled while running', r.deliveries)
    elseif state == 'failed' and reason == 'JOB_FAILED' and r.attempts < (retries or retries_of(job)) then
      local due = now_ms() + math.min(S.retryBaseMs * math.pow(2, r.attempts), S.retryMaxMs)
      redis.call('ZADD', KEYS[11], due, id)
      write_fields(id, 'delayed', pid, 0, r.attempts + 1, due, nil, outcome)
      emit_event('RETRIED', id, pid, job, nil)
      code = CODE.RETRY
    end
    if code == CODE.OK then
      store_outcome(id, job, state, outcome, pid, r.deliveries, r.attempts, r.ms, r)
      if state == 'done' then done = done + 1 else failed = failed + 1 end
      last = outcome
    end
    reply[#reply + 1] = code
  end
end
end_batch()
if last then
  redis.call('HSET', KEYS[3], 'ret', last)
  if done > 0 then redis.call('HINCRBY', KEYS[3], 'done', num_text(done)) end
  if failed > 0 then redis.call('HINCRBY', KEYS[3], 'failed', num_text(failed)) end
end
local wstate = redis.call('HGET', KEYS[3], 'state')
if tonumber(ARGV[3]) == 0 or (wstate ~= 'idle' and wstate ~= 'busy')
    or redis.call('ZSCORE', KEYS[6], pid) == false then
  reply[#reply + 1] = 0
  return reply
end
return take_jobs(pid, tonumber(ARGV[3]), reply, wstate)
