--[[
  Marks a fetched job as running on this worker and counts the delivery.
  Input:
    KEYS[1] job hash
    KEYS[2] worker hash
    KEYS[3] the worker's in-flight list
    KEYS[4] dead-letter list
    ARGV[1] pid
    ARGV[2] payload (the exact in-flight entry)
    ARGV[3] job id
    ARGV[4] dead-letter entry to use when the job hash is missing
  Output:
    {1, deliveries}  run it; deliveries counts this one
    {-2}             no job hash: the entry went to the dead-letter list
    {-3}             the job was cancelled while queued: dropped from in-flight
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  redis.call('RPUSH', KEYS[4], ARGV[4])
  return {-2}
end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'cancelled' or state == 'done' or state == 'failed' then
  redis.call('LREM', KEYS[3], 1, ARGV[2])
  return {-3}
end
local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
redis.call('HSET', KEYS[1], 'state', 'running', 'pid', ARGV[1], 'started', now_ms())
redis.call('HSET', KEYS[2], 'state', 'busy', 'job', ARGV[3])
return {1, deliveries}
