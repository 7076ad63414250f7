--[[
  Marks a fetched job as running on this worker and counts the delivery. A job delivered more
  times than its limit (payload field maxDeliveries, default 3, the first delivery included) is
  poison: it goes to the dead-letter list with the reason, its job hash fails with POISON and its
  manager is notified, so no waiter hangs.
  Reaches the completion lists of the job's manager and watchers through lib.lua's k_* functions.
  Input:
    KEYS[1] job hash
    KEYS[2] worker hash
    KEYS[3] the worker's in-flight list
    KEYS[4] dead-letter list
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] payload (the exact in-flight entry)
    ARGV[4] job id
    ARGV[5] dead-letter entry to use when the job hash is missing
  Output:
    {OK, deliveries}  run it; deliveries counts this one
    {NO_JOB}          no job hash: a dead-letter entry was written and, when the entry names its
                     manager, the job failed with BAD_PAYLOAD there; do not run it
    {NOT_RUNNABLE}    the job was cancelled while queued, or already has an outcome: do not run it
    {POISON, deliveries} poison: over its delivery limit; dead-lettered and failed with POISON; do not run it
  On NO_JOB, NOT_RUNNABLE and POISON the entry stays in the in-flight list: the worker drops it with finish-8.lua
  (no outcome), which also takes its next backlog job or reopens it, as after any job.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('RPUSH', KEYS[4], ARGV[5])
  -- The entry still names its manager: fail the job there, so its waiter raises instead of hanging.
  local ok, job = pcall(cjson.decode, ARGV[3])
  if ok and type(job) == 'table' and type(job.id) == 'string' and type(job.manager) == 'string' and job.manager ~= '' then
    fail_job(job.id, job.manager, cjson.encode({v = S.version, jobId = job.id, pid = tonumber(ARGV[2]) or 0, ok = false,
      reason = 'BAD_PAYLOAD', message = 'job ' .. job.id .. ' has no job hash on worker ' .. ARGV[2]
        .. ' (it expired, was deleted, or the entry was never placed by a manager); it went to the dead-letter list',
      attempt = 0}))
  end
  return {CODE.NO_JOB}
end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'cancelled' or state == 'cancelling' or state == 'done' or state == 'failed' then
  return {CODE.NOT_RUNNABLE}
end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
local ok, job = pcall(cjson.decode, ARGV[3])
if ok and type(job) == 'table' and type(job.id) == 'string' and deliveries > delivery_limit(job) then
  poison_job(job, ARGV[3], deliveries, ARGV[2])
  return {CODE.POISON, deliveries}
end
redis.call('HSET', KEYS[1], 'state', 'running', 'pid', ARGV[2], 'started', now_ms())
redis.call('HSET', KEYS[2], 'state', 'busy', 'job', ARGV[4])
emit_event('STARTED', ARGV[4], ARGV[2])
return {CODE.OK, deliveries}
