--[[
  Cancels a job, acknowledged in its job hash. A queued or delayed job fails with CANCELLED at once
  (its manager is notified) and is removed from wherever it waits — a worker's pending list or the
  backlog when that list holds at most S.scanMax entries, else it stays there as a tombstone that
  the taking worker drops unrun; the delayed-jobs set always. A running job is marked 'cancelling' and its worker hash gets the field
  'cancel' = job id and the worker is told on its signals channel ('c <job id>'; the stored field
  outlives a message lost while the worker was not subscribed): the worker interrupts the job, and finish-8.lua stores its failure as
  CANCELLED (a job that still returns normally keeps its return). A job fetched but not yet
  started is dropped by start-4.lua when it sees the state.
  Reaches the keys of the worker holding the job, the backlog, the delayed-jobs set and the
  completion lists of its manager and watchers through lib.lua's k_* functions.
  Repeat-safe: a second call finds the job already cancelled or being interrupted.
  Input:
    KEYS[1] job hash
    ARGV[1] settings (see lib.lua)
    ARGV[2] job id
    ARGV[3] who asks (for the job hash field cancelledBy)
  Output:
    {REMOVED}        cancelled while waiting: removed, outcome CANCELLED
    {INTERRUPTING, pid} running on that worker: marked 'cancelling', the worker will interrupt it
    {FINISHED, state} nothing to cancel: the job already has an outcome (state done, failed, cancelled)
    {NO_JOB}         no such job (never placed, or its hash expired)
]]
local jobid = ARGV[2]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {CODE.NO_JOB}
end
local state = redis.call('HGET', KEYS[1], 'state') or ''
if state == 'done' or state == 'failed' or state == 'cancelled' then
  return {CODE.FINISHED, state}
end
local payload = redis.call('HGET', KEYS[1], 'payload') or ''
local pid = redis.call('HGET', KEYS[1], 'pid') or ''
local manager = redis.call('HGET', KEYS[1], 'manager') or ''
redis.call('HSET', KEYS[1], 'cancelRequested', now_ms(), 'cancelledBy', ARGV[3])
if state == 'running' or state == 'cancelling' then
  redis.call('HSET', KEYS[1], 'state', 'cancelling')
  if pid ~= '' then
    redis.call('HSET', k_worker(pid), 'cancel', jobid)
    redis.call('PUBLISH', k_signals(pid), 'c ' .. jobid)
  end
  return {CODE.INTERRUPTING, tonumber(pid) or 0}
end
-- Waiting: the placed payload is the exact entry on the lists (re-homing moves it unchanged). A
-- list longer than S.scanMax is not scanned: the entry stays as a tombstone that the worker
-- taking it drops (its job hash says cancelled), so a cancel never walks a long list.
if pid ~= '' and redis.call('LLEN', k_pending(pid)) <= S.scanMax then
  redis.call('LREM', k_pending(pid), 0, payload)
end
if redis.call('LLEN', k_backlog()) <= S.scanMax then
  redis.call('LREM', k_backlog(), 0, payload)
end
redis.call('ZREM', k_delayed(), payload)
local outcome = cjson.encode({v = S.version, jobId = jobid, pid = tonumber(pid) or 0, ok = false, reason = 'CANCELLED',
  message = 'job ' .. jobid .. ' was cancelled before it ran', attempt = 0})
fail_job(jobid, manager, outcome)
redis.call('HSET', KEYS[1], 'state', 'cancelled')
return {CODE.REMOVED}
