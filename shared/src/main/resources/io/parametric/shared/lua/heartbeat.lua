--[[
  Refreshes the heartbeats of a process's worker slots (one call per process), timed by Redis's clock.
  Repeat-safe: it only sets scores to the current time.
  Input:
    KEYS[1] live workers (sorted set)
    ARGV[1] settings (see lib.lua)
    ARGV[2..] pids
  Output:
    the pids that are no longer live workers (reaped or closed): those slots must stop
]]
local now = now_ms()
local gone = {}
for i = 2, #ARGV do
  if redis.call('ZADD', KEYS[1], 'XX', 'CH', now, ARGV[i]) == 0
      and redis.call('ZSCORE', KEYS[1], ARGV[i]) == false then
    gone[#gone + 1] = ARGV[i]
  end
end
return gone
