--[[
  Registers a worker slot: writes its hash, adds it to the live workers (publishing '+<pid>' on
  the fleet's members channel, for managers' caches), and either moves the next backlog job
  straight into its in-flight list or puts it on the open-worker list.
  Registering again under the same pid (after a Redis restart without persistence lost the hash)
  raises the pid counter to at least that pid, so a new worker never gets a pid in use.
  Input:
    KEYS[1] worker hash
    KEYS[2] live workers (sorted set)
    KEYS[3] open-worker list
    KEYS[4] backlog list
    KEYS[5] the worker's in-flight list
    KEYS[6] the pid counter
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3..] field, value pairs of the worker hash (name, kind, host, ospid, types, ...)
  Output:
    {OK}          registered and open
    {OK, payload} registered; payload was taken from the backlog into in-flight
]]
local pid = ARGV[2]
if tonumber(redis.call('GET', KEYS[6]) or '0') < tonumber(pid) then
  redis.call('SET', KEYS[6], pid)
end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'pid', pid, 'state', 'idle', 'registered', now_ms(), unpack(fields))
redis.call('ZADD', KEYS[2], now_ms(), pid)
redis.call('PUBLISH', k_members(), '+' .. pid)
local next_job = redis.call('LMOVE', KEYS[4], KEYS[5], 'LEFT', 'RIGHT')
if next_job then
  redis.call('HSET', KEYS[1], 'state', 'busy')
  return {CODE.OK, next_job}
end
redis.call('LREM', KEYS[3], 0, pid)
redis.call('RPUSH', KEYS[3], pid)
return {CODE.OK}
