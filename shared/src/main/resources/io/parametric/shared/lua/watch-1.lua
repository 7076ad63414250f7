--[[
  Re-attaches a manager to a job it did not place: adds the manager to the job's watchers, so
  the script that stores the outcome pushes it to that manager's completion list too — or, when
  the outcome is already stored, returns it. Checking and adding in one script means an outcome
  is never missed between the two.
  Repeat-safe: a manager already watching is not added twice.
  Input:
    KEYS[1] job hash
    ARGV[1] settings (see lib.lua)
    ARGV[2] the manager's id
  Output:
    {FINISHED, outcome} the job already has this outcome
    {WATCHING}    watching: the outcome will arrive on the manager's completion list
    {NO_JOB}      no such job (never placed, or its record expired)
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {CODE.NO_JOB}
end
local outcome = redis.call('HGET', KEYS[1], 'outcome')
if outcome then
  return {CODE.FINISHED, outcome}
end
local watchers = redis.call('HGET', KEYS[1], 'watchers') or ','
if not string.find(watchers, ',' .. ARGV[2] .. ',', 1, true) then
  redis.call('HSET', KEYS[1], 'watchers', watchers .. ARGV[2] .. ',')
end
return {CODE.WATCHING}
