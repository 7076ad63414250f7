--[[
  Records a running job's progress in its job hash, unless the hash is gone (expired or never
  placed), so progress never creates a hash without a TTL; a PROGRESS event while the fleet has a
  listener (the fleet prefix is the job hash key up to 'job:').
  Input:
    KEYS[1] job hash
    ARGV[1] fraction done, 0..1
  Output:
    1 recorded
    0 no such job hash
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
local prefix, jobid = string.match(KEYS[1], '^(.*)job:(.+)$')
emit_event(prefix, 'PROGRESS', jobid, redis.call('HGET', KEYS[1], 'pid'))
return 1
