--[[
  Marks a fetched job as running on this worker and counts the delivery. A job delivered more
  times than its limit (payload field maxDeliveries, default 3, the first delivery included) is
  poison: it goes to the dead-letter list with the reason, its job hash fails with POISON and its
  manager is notified, so no waiter hangs. When the job is not run (codes below 0), the worker
  takes the next backlog job onto its pending list, or goes back on the open-worker list, so a
  dropped entry never leaves it idle but closed to new work.
  Reaches the fleet's keys from the prefix in ARGV (see lib.lua).
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
    {-2}             no job hash: the entry went to the dead-letter list
    {-3}             the job was cancelled or already has an outcome: dropped from in-flight
    {-4, deliveries} poison: over its delivery limit, dead-lettered and failed with POISON
]]
local prefix, pid = ARGV[5], ARGV[1]

local function not_run(reply)
  local state = redis.call('HGET', KEYS[2], 'state')
  if state == 'closing' or state == 'closed' or state == 'dead' then
    return reply
  end
  local pending = wkey(prefix, pid, ':pending')
  if redis.call('LLEN', pending) == 0 and redis.call('LLEN', KEYS[3]) == 0 then
    if not redis.call('LMOVE', prefix .. 'backlog', pending, 'LEFT', 'RIGHT') then
      redis.call('LREM', prefix .. 'open', 0, pid)
      redis.call('RPUSH', prefix .. 'open', pid)
      redis.call('HSET', KEYS[2], 'state', 'idle')
    end
  end
  return reply
end

if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  redis.call('RPUSH', KEYS[4], ARGV[4])
  return not_run({-2})
end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'cancelled' or state == 'cancelling' or state == 'done' or state == 'failed' then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  return not_run({-3})
end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
local ok, job = pcall(cjson.decode, ARGV[2])
if ok and type(job) == 'table' and type(job.id) == 'string' and deliveries > delivery_limit(job) then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  poison_job(prefix, job, ARGV[2], deliveries, pid, tonumber(ARGV[6]))
  return not_run({-4, deliveries})
end
redis.call('HSET', KEYS[1], 'state', 'running', 'pid', pid, 'started', now_ms())
redis.call('HSET', KEYS[2], 'state', 'busy', 'job', ARGV[3])
return {1, deliveries}
