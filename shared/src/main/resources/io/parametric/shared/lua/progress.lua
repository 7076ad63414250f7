--[[
  Records a running job's progress in its record, only while it runs.
  Repeat-safe: it sets the same value again.
  Input:
    KEYS[1] records (hash)
    ARGV[1] settings (see lib.lua)
    ARGV[2] job id
    ARGV[3] fraction done, 0..1
  Output:
    {OK}      recorded
    {NO_JOB}  the job is not running
]]
local r = read_rec(ARGV[2])
if not r or (r.state ~= 'running' and r.state ~= 'cancelling') then
  return {CODE.NO_JOB}
end
r.progress = ARGV[3]
write_rec(ARGV[2], r)
emit_event('PROGRESS', ARGV[2], r.pid, '', nil)
return {CODE.OK}
