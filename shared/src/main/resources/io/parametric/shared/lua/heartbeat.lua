--[[
  Refreshes the heartbeats of a process's worker slots (one call per process), timed by Redis's
  clock, and says where jobs wait, so an idle slot takes only when there is something to take.
  Repeat-safe: it only sets scores to the current time and reads lengths.
  Input:
    KEYS[1] live workers (sorted set)
    KEYS[2] backlog list
    ARGV[1] settings (see lib.lua)
    ARGV[2..] pids
  Reaches the pids' pending and in-flight lists through lib.lua.
  Output:
    {gone, queued, backlog}  gone: the pids that are no longer live workers (reaped or closed):
                             those slots must stop; queued: the live pids whose pending or
                             in-flight list holds ids (an idle slot's lost wake-up or
                             hand-over); backlog: 1 when the fleet backlog holds ids, else 0
]]
local now = now_ms()
local gone, queued = {}, {}
for i = 2, #ARGV do
  local pid = ARGV[i]
  if redis.call('ZADD', KEYS[1], 'XX', 'CH', now, pid) == 0
      and redis.call('ZSCORE', KEYS[1], pid) == false then
    gone[#gone + 1] = pid
  elseif redis.call('LLEN', k_pending(pid)) > 0 or redis.call('LLEN', k_inflight(pid)) > 0 then
    queued[#queued + 1] = pid
  end
end
return {gone, queued, redis.call('LLEN', KEYS[2]) > 0 and 1 or 0}
