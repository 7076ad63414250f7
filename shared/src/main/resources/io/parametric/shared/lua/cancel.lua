--[[
  Cancels a job in O(1), acknowledged in its record. A queued or delayed job becomes a tombstone:
  it fails with CANCELLED now (record, completion lists), its entry is removed, and its id stays
  where it waits until a worker's take drops it (no list is walked). A running job is marked
  'cancelling', its id is added to its worker's 'cancel' field and its worker is told on its
  channel; the worker interrupts it and finish.lua stores its failure as CANCELLED (a job that
  returns anyway keeps its return). The stored field outlives a lost message.
  Repeat-safe: a second call finds the job cancelled or cancelling.
  Input:
    KEYS[1] entries (hash)
    KEYS[2] records (hash)
    KEYS[3] delayed jobs (sorted set)
    ARGV[1] settings (see lib.lua)
    ARGV[2] job id
    ARGV[3] who asks (for the message)
  Reaches the worker's record and channel, and completion lists, through lib.lua.
  Output:
    {REMOVED}             cancelled while waiting
    {INTERRUPTING, pid}   running on that worker: it will interrupt the job
    {FINISHED, state}     nothing to cancel: the job already has an outcome
    {NO_JOB}              no such job (never placed, or its record was trimmed)
]]
local id = ARGV[2]
local r = read_rec(id)
if r and ended(r.state) then
  return {CODE.FINISHED, r.state}
end
if r and (r.state == 'running' or r.state == 'cancelling') then
  r.state = 'cancelling'
  r.ms = now_ms()
  write_rec(id, r)
  local wkey = k_worker(r.pid)
  local asked = redis.call('HGET', wkey, 'cancel') or ','
  if not string.find(asked, ',' .. id .. ',', 1, true) then
    redis.call('HSET', wkey, 'cancel', asked .. id .. ',')
  end
  redis.call('PUBLISH', k_signals(r.pid), 'c ' .. id)
  return {CODE.INTERRUPTING, tonumber(r.pid) or 0}
end
local entry, size = bounded_entry(id)
if size == 0 then
  return {CODE.NO_JOB}
end
redis.call('ZREM', KEYS[3], id)
fail_job(id, (entry and read_entry(entry)) or {m = manager_of_id(id)}, 'cancelled', 'CANCELLED',
  'job ' .. id .. ' was cancelled before it ran (by ' .. ARGV[3] .. ')', '', 0)
return {CODE.REMOVED}
