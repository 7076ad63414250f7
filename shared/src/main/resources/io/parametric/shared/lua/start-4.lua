--[[
  Marks a fetched job as running on this worker and counts the delivery. A job delivered more
  times than its limit (payload field maxDeliveries, default 3, the first delivery included) is
  poison: it goes to the dead-letter list with the reason, its job hash fails with POISON and its
  manager is notified, so no waiter hangs.
  Reaches the fleet's dead-letter list and completion lists from the prefix in ARGV (see lib.lua).
  Input:
    KEYS[1] job hash
    KEYS[2] worker hash
    KEYS[3] the worker's in-flight list
    KEYS[4] dead-letter list
    ARGV[1] pid
    ARGV[2] payload (the exact in-flight entry)
    ARGV[3] job id
    ARGV[4] dead-letter entry to use when the job hash is missing
    ARGV[5] fleet prefix
    ARGV[6] job hash TTL after an outcome, seconds
  Output:
    {1, deliveries}  run it; deliveries counts this one
    {-2}             no job hash: a dead-letter entry was written and, when the entry names its
                     manager, the job failed with BAD_PAYLOAD there; do not run it
    {-3}             the job was cancelled while queued, or already has an outcome: do not run it
    {-4, deliveries} poison: over its delivery limit; dead-lettered and failed with POISON; do not run it
  On -2, -3 and -4 the entry stays in the in-flight list: the worker drops it with finish-8.lua
  (no outcome), which also takes its next backlog job or reopens it, as after any job.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('RPUSH', KEYS[4], ARGV[4])
  -- The entry still names its manager: fail the job there, so its waiter raises instead of hanging.
  local ok, job = pcall(cjson.decode, ARGV[2])
  if ok and type(job) == 'table' and type(job.id) == 'string' and type(job.manager) == 'string' and job.manager ~= '' then
    fail_job(ARGV[5], job.id, job.manager, cjson.encode({v = 1, jobId = job.id, pid = tonumber(ARGV[1]) or 0, ok = false,
      reason = 'BAD_PAYLOAD', message = 'job ' .. job.id .. ' has no job hash on worker ' .. ARGV[1]
        .. ' (it expired, was deleted, or the entry was never placed by a manager); it went to the dead-letter list',
      attempt = 0}), tonumber(ARGV[6]))
  end
  return {-2}
end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'cancelled' or state == 'cancelling' or state == 'done' or state == 'failed' then
  return {-3}
end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
local ok, job = pcall(cjson.decode, ARGV[2])
if ok and type(job) == 'table' and type(job.id) == 'string' and deliveries > delivery_limit(job) then
  poison_job(ARGV[5], job, ARGV[2], deliveries, ARGV[1], tonumber(ARGV[6]))
  return {-4, deliveries}
end
redis.call('HSET', KEYS[1], 'state', 'running', 'pid', ARGV[1], 'started', now_ms())
redis.call('HSET', KEYS[2], 'state', 'busy', 'job', ARGV[3])
emit_event(ARGV[5], 'STARTED', ARGV[3], ARGV[1])
return {1, deliveries}
