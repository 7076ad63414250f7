--[[
  Takes a worker out of the fleet and hands its jobs on: each queued (and, when asked, in-flight)
  job goes to an open worker or the fleet backlog; pinned jobs fail with WORKER_LOST instead;
  entries that are not jobs go to the dead-letter list.
  Reaches worker keys it discovers from the fleet prefix (see lib.lua, wkey).
  Input:
    KEYS[1] the worker's pending list
    KEYS[2] the worker's in-flight list
    KEYS[3] worker hash
    KEYS[4] live workers (sorted set)
    KEYS[5] open-worker list
    KEYS[6] backlog list
    KEYS[7] dead-letter list
    ARGV[1] fleet prefix
    ARGV[2] pid
    ARGV[3] '1' to hand on the in-flight job too (the worker is dead), else '0'
    ARGV[4] the worker's new state: 'closing', 'closed' or 'dead'
    ARGV[5] job hash TTL after an outcome, seconds
    ARGV[6] reason for messages (e.g. 'closed', 'missed heartbeats')
  Output:
    {moved, failed, dead_lettered}
]]
local prefix, pid = ARGV[1], ARGV[2]
redis.call('HSET', KEYS[3], 'state', ARGV[4])
redis.call('LREM', KEYS[5], 0, pid)
if ARGV[4] ~= 'closing' then
  redis.call('ZREM', KEYS[4], pid)
end

local entries = {}
if ARGV[3] == '1' then
  for _, e in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do entries[#entries + 1] = e end
  redis.call('DEL', KEYS[2])
end
for _, e in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do entries[#entries + 1] = e end
redis.call('DEL', KEYS[1])

local moved, failed, dead = 0, 0, 0
for _, payload in ipairs(entries) do
  local ok, job = pcall(cjson.decode, payload)
  if not ok or type(job) ~= 'table' or type(job.id) ~= 'string' then
    redis.call('RPUSH', KEYS[7], cjson.encode({reason = 'not a job (re-homed from worker ' .. pid .. ')', entry = payload}))
    dead = dead + 1
  elseif job.pinned == true then
    local outcome = cjson.encode({v = 1, jobId = job.id, pid = tonumber(pid), ok = false, reason = 'WORKER_LOST',
      message = 'pinned job lost its worker ' .. pid .. ' (' .. ARGV[6] .. '); pinned jobs never move to another worker',
      attempt = 0})
    fail_job(prefix, job.id, job.manager, outcome, tonumber(ARGV[5]))
    failed = failed + 1
  else
    local jobtype = ''
    if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
    place_open_or_backlog(prefix, job.id, payload, jobtype, '*')
    moved = moved + 1
  end
end
return {moved, failed, dead}
