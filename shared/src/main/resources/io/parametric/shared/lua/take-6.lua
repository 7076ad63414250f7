--[[
  An idle worker takes the next backlog job. Finishing and registering already take backlog jobs;
  this covers a job that reached the backlog while every worker able to run it was idle but not
  offered it (placement limited to a manager's own workers, a worker that re-joined under a new
  pid, state restored from an older Redis), so no backlog job waits for a worker to finish one.
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker hash
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] live workers (sorted set), to check this worker is still live
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
  Output:
    {OK, payload}  moved from the backlog into the worker's in-flight list
    {OK}           nothing to take, or the worker is busy, closing or no longer live
]]
local state = redis.call('HGET', KEYS[3], 'state')
if state ~= 'idle' and state ~= 'busy' then return {CODE.OK} end
if redis.call('ZSCORE', KEYS[6], ARGV[2]) == false then return {CODE.OK} end
if redis.call('LLEN', KEYS[1]) > 0 or redis.call('LLEN', KEYS[2]) > 0 then return {CODE.OK} end
local job = redis.call('LMOVE', KEYS[5], KEYS[1], 'LEFT', 'RIGHT')
if not job then return {CODE.OK} end
redis.call('LREM', KEYS[4], 0, ARGV[2])
redis.call('HSET', KEYS[3], 'state', 'busy')
return {CODE.OK, job}
