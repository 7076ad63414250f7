--[[
  Re-attaches a manager to a job it did not place: adds the manager to the job's watchers, so the
  script that stores the outcome pushes it to that manager's completion list too — or, when the
  outcome is already stored, returns it. Checking and adding in one script means an outcome is
  never missed between the two.
  Repeat-safe: a manager is added to the watchers once.
  Input:
    KEYS[1] entries (hash)
    KEYS[2] records (hash)
    KEYS[3] watchers (hash)
    ARGV[1] settings (see lib.lua)
    ARGV[2] job id
    ARGV[3] the manager's id
  Output:
    {FINISHED, outcome}  the job already has this outcome
    {WATCHING}           the outcome will arrive on the manager's completion list
    {NO_JOB}             no such job (never placed, or its record was trimmed)
]]
local id = ARGV[2]
local r = read_rec(id)
if r and ended(r.state) then
  return {CODE.FINISHED, r.outcome}
end
if not r and redis.call('HEXISTS', KEYS[1], id) == 0 then
  return {CODE.NO_JOB}
end
local watchers = redis.call('HGET', KEYS[3], id) or ','
if not string.find(watchers, ',' .. ARGV[3] .. ',', 1, true) then
  redis.call('HSET', KEYS[3], id, watchers .. ARGV[3] .. ',')
end
return {CODE.WATCHING}
