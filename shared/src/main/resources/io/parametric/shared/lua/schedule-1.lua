--[[
  Places jobs to run later: each goes to the delayed-jobs set, scored by the Redis time it becomes
  due; reap-3.lua (every reaper tick) moves due jobs to an open worker or the backlog.
  Repeat-safe: the delayed set holds each payload once and the job hash gets the same fields.
  Input:
    KEYS[1] delayed-jobs set
    ARGV[1] settings (see lib.lua)
    ARGV[2..] per job, 4 entries: job id, payload, manager id, delay in ms
  Output:
    {OK, n}  n jobs scheduled
]]
local now = now_ms()
local n = (#ARGV - 1) / 4
for i = 1, n do
  local b = 1 + (i - 1) * 4
  local jobid, payload, manager, delay = ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], tonumber(ARGV[b + 4])
  redis.call('HSET', k_job(jobid), 'payload', payload, 'state', 'delayed', 'manager', manager,
    'created', now, 'deliveries', 0, 'due', now + delay, 'pid', '')
  redis.call('ZADD', KEYS[1], now + delay, payload)
  emit_event('PLACED', jobid, '')
end
return {CODE.OK, n}
