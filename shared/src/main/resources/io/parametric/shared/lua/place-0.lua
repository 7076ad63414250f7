--[[
  Places jobs, all or nothing: every target is checked before any job is written.
  Reaches worker keys it discovers from the fleet prefix (see lib.lua, wkey).
  Input:
    ARGV[1] fleet prefix
    ARGV[2] candidate pids for open placement: ',1,2,' or '*'
    ARGV[3..] per job, 6 entries: job id, payload, job type ('' if not a registered type),
              manager id, target, fallback
              target:   a pid        -> that worker's pending list
                        'open'       -> the first open worker, else the fallback
              fallback: a pid, or 'backlog' (the fleet backlog)
  Output:
    {1, pid1, pid2, ...}  placed; pid per job, 0 where it went to the backlog
    {-2, pid}             no such worker, or it is closed: nothing placed
    {-3, pid, type}       the worker does not list the job type: nothing placed
]]
local prefix = ARGV[1]
local candidates = ARGV[2]
local n = (#ARGV - 2) / 6

local function job_at(i)
  local b = 2 + (i - 1) * 6
  return ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], ARGV[b + 5], ARGV[b + 6]
end

for i = 1, n do
  local _, _, jobtype, _, target, fallback = job_at(i)
  for _, pid in ipairs({target, fallback}) do
    if pid ~= 'open' and pid ~= 'backlog' then
      if not worker_usable(prefix, pid) then return {-2, pid} end
      if not worker_has_type(prefix, pid, jobtype) then return {-3, pid, jobtype} end
    end
  end
end

local now = now_ms()
local placed = {1}
for i = 1, n do
  local jobid, payload, jobtype, manager, target, fallback = job_at(i)
  redis.call('HSET', prefix .. 'job:' .. jobid, 'payload', payload, 'state', 'queued',
    'manager', manager, 'type', jobtype, 'created', now, 'deliveries', 0)
  local pid = target
  if target == 'open' then
    pid = take_open_worker(prefix, jobtype, candidates) or fallback
  end
  if pid == 'backlog' then
    placed[#placed + 1] = place_open_or_backlog(prefix, jobid, payload, jobtype, candidates)
  else
    push_to_worker(prefix, pid, jobid, payload)
    placed[#placed + 1] = tonumber(pid)
  end
  emit_event(prefix, 'PLACED', jobid, placed[#placed])
end
return placed
