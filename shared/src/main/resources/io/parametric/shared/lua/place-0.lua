--[[
  Places jobs, all or nothing: every target is checked before any job is written.
  Reaches the keys of workers and jobs through lib.lua's k_* functions.
  Input:
    ARGV[1] settings (see lib.lua)
    ARGV[2] candidate pids for open placement: ',1,2,' or '*'
    ARGV[3..] per job, 6 entries: job id, payload, job type ('' if not a registered type),
              manager id, target, fallback
              target:   a pid        -> that worker's pending list
                        'open'       -> the first open worker, else the fallback
              fallback: a pid, or 'backlog' (the fleet backlog)
  Output:
    {OK, pid1, pid2, ...} placed; pid per job, 0 where it went to the backlog
    {NO_SUCH_WORKER, pid} no such worker, or it is closed: nothing placed
    {UNKNOWN_TYPE, pid, type} the worker does not list the job type: nothing placed
]]
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
      if not worker_usable(pid) then return {CODE.NO_SUCH_WORKER, pid} end
      if not worker_has_type(pid, jobtype) then return {CODE.UNKNOWN_TYPE, pid, jobtype} end
    end
  end
end

local now = now_ms()
local placed = {CODE.OK}
for i = 1, n do
  local jobid, payload, jobtype, manager, target, fallback = job_at(i)
  redis.call('HSET', k_job(jobid), 'payload', payload, 'state', 'queued',
    'manager', manager, 'type', jobtype, 'created', now, 'deliveries', 0)
  local pid = target
  if target == 'open' then
    pid = take_open_worker(jobtype, candidates) or fallback
  end
  if pid == 'backlog' then
    placed[#placed + 1] = place_open_or_backlog(jobid, payload, jobtype, candidates)
  else
    push_to_worker(pid, jobid, payload)
    placed[#placed + 1] = tonumber(pid)
  end
  emit_event('PLACED', jobid, placed[#placed])
end
return placed
