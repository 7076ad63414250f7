--[[
  Cancels a job, acknowledged in its job hash. A queued or delayed job is removed from wherever it
  waits (a worker's pending list, the backlog, the delayed-jobs set) and fails with CANCELLED; its
  manager is notified. A running job is marked 'cancelling' and its worker hash gets the field
  'cancel' = job id: the worker interrupts the job, and finish-8.lua stores its failure as
  CANCELLED (a job that still returns normally keeps its return). A job fetched but not yet
  started is dropped by start-4.lua when it sees the state.
  Reaches the keys of the worker holding the job from the fleet prefix (see lib.lua, wkey).
  Input:
    KEYS[1] job hash
    ARGV[1] fleet prefix
    ARGV[2] job id
    ARGV[3] job hash TTL after an outcome, seconds
    ARGV[4] who asks (for the message)
  Output:
    {1}        cancelled while waiting: removed, outcome CANCELLED
    {2, pid}   running on that worker: marked 'cancelling', the worker will interrupt it
    {0, state} nothing to cancel: the job already has an outcome (state done, failed, cancelled)
    {-1}       no such job (never placed, or its hash expired)
]]
local prefix, jobid = ARGV[1], ARGV[2]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {-1}
end
local state = redis.call('HGET', KEYS[1], 'state') or ''
if state == 'done' or state == 'failed' or state == 'cancelled' then
  return {0, state}
end
local payload = redis.call('HGET', KEYS[1], 'payload') or ''
local pid = redis.call('HGET', KEYS[1], 'pid') or ''
local manager = redis.call('HGET', KEYS[1], 'manager') or ''
redis.call('HSET', KEYS[1], 'cancelRequested', now_ms(), 'cancelledBy', ARGV[4])
if state == 'running' or state == 'cancelling' then
  redis.call('HSET', KEYS[1], 'state', 'cancelling')
  if pid ~= '' then
    redis.call('HSET', wkey(prefix, pid), 'cancel', jobid)
  end
  return {2, tonumber(pid) or 0}
end
-- Waiting: the placed payload is the exact entry on the lists (re-homing moves it unchanged).
if pid ~= '' then
  redis.call('LREM', wkey(prefix, pid, ':pending'), 0, payload)
end
redis.call('LREM', prefix .. 'backlog', 0, payload)
redis.call('ZREM', prefix .. 'delayed', payload)
local outcome = cjson.encode({v = 1, jobId = jobid, pid = tonumber(pid) or 0, ok = false, reason = 'CANCELLED',
  message = 'job ' .. jobid .. ' was cancelled before it ran', attempt = 0})
fail_job(prefix, jobid, manager, outcome, tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'state', 'cancelled')
return {1}
