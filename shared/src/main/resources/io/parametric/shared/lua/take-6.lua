--[[
  A worker takes its next job — its own pending list first, else the fleet backlog — and starts it
  (lib.lua's take_and_start, as finish-8.lua does after a job). An idle worker calls it each time
  its blocking move on its own list times out (a backlog job nobody offered it: placement limited
  to a manager's own workers, a worker that re-joined under a new pid). With nothing to take the
  worker is (back) on the open-worker list, once.
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
    {OK, payload, started, deliveries}  payload was taken into in-flight; started is OK (run it,
                                        its delivery counted) or 0 (not readable as a job: dead-letter it)
    {OK}                                nothing taken: nothing waits, the worker already holds an
                                        in-flight entry, or it is closing or no longer live
]]
local pid = ARGV[2]
local state = redis.call('HGET', KEYS[3], 'state')
if state ~= 'idle' and state ~= 'busy' then return {CODE.OK} end
if redis.call('ZSCORE', KEYS[6], pid) == false then return {CODE.OK} end
if redis.call('LLEN', KEYS[1]) > 0 then return {CODE.OK} end
local entry, started, deliveries = take_and_start(pid)
redis.call('LREM', KEYS[4], 0, pid)
if entry then
  redis.call('HSET', KEYS[3], 'state', 'busy')
  return {CODE.OK, entry, started, deliveries}
end
redis.call('RPUSH', KEYS[4], pid)
redis.call('HSET', KEYS[3], 'state', 'idle')
return {CODE.OK}
