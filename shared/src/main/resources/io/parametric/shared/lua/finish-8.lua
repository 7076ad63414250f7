--[[
  Finishes a job: stores its outcome in the job hash and the worker hash, removes it from the
  worker's in-flight list, notifies the placing manager, then takes the next backlog job when the
  worker's own list is empty, else puts the worker on the open-worker list. Also used to drop an
  entry that cannot be read as a job (with a dead-letter entry instead of, or beside, an outcome).
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker hash
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] dead-letter list
    KEYS[7] job hash (ignored without an outcome)
    KEYS[8] the placing manager's completion list (ignored when ARGV[7] is '')
    ARGV[1] payload (the exact in-flight entry)
    ARGV[2] pid
    ARGV[3] outcome JSON, or ''
    ARGV[4] job state: 'done' or 'failed'
    ARGV[5] dead-letter entry, or ''
    ARGV[6] job hash TTL after the outcome, seconds
    ARGV[7] '1' to notify the manager, else ''
  Output:
    {1}           finished; the worker is open or has jobs queued
    {1, payload}  finished; payload was taken from the backlog into in-flight
    {-1}          stale: the entry is no longer in this worker's in-flight list (re-homed), nothing written
]]
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return {-1}
end
if ARGV[5] ~= '' then
  redis.call('RPUSH', KEYS[6], ARGV[5])
end
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[7], 'state', ARGV[4], 'outcome', ARGV[3], 'finished', now_ms())
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[6]))
  redis.call('HSET', KEYS[3], 'ret', ARGV[3])
  redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
  if ARGV[7] == '1' then
    redis.call('RPUSH', KEYS[8], ARGV[3])
    if redis.call('TTL', KEYS[8]) < 0 then redis.call('EXPIRE', KEYS[8], 3600) end
  end
end
redis.call('HDEL', KEYS[3], 'job')
local state = redis.call('HGET', KEYS[3], 'state')
if state == 'closing' or state == 'closed' or state == 'dead' then
  return {1}
end
if redis.call('LLEN', KEYS[2]) == 0 then
  local next_job = redis.call('LMOVE', KEYS[5], KEYS[1], 'LEFT', 'RIGHT')
  if next_job then
    return {1, next_job}
  end
  redis.call('LREM', KEYS[4], 0, ARGV[2])
  redis.call('RPUSH', KEYS[4], ARGV[2])
  redis.call('HSET', KEYS[3], 'state', 'idle')
end
return {1}
