--[[
  Registers a worker slot: writes its record (with the protocol version it speaks), adds it to
  the live workers and the open-worker list (it then takes jobs with take.lua), and announces it
  on the fleet's membership channel. Refuses a fleet of another protocol version: one whose
  'proto' key names another version, or (for a fleet that has none yet) one with live workers
  that did not register this version, or a backlog that holds protocol-1 entries.
  Repeat-safe: it rewrites the same record.
  Registering again under the same pid (after Redis lost its data) raises the pid counter to at
  least that pid, so a new worker never gets a pid in use.
  Input:
    KEYS[1] worker record (hash)
    KEYS[2] live workers (sorted set)
    KEYS[3] open-worker list
    KEYS[4] pid counter
    KEYS[5] the fleet's protocol version (string)
    KEYS[6] backlog list
    KEYS[7] entries (hash)
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3..] field, value pairs of the worker record (name, kind, host, ospid, types, lease ...)
  Output:
    {OK}                    registered, open
    {VERSION, what, found}  refused: what is 'fleet', 'worker <pid>' or 'backlog'; found the version seen
]]
local pid = ARGV[2]
local version = tostring(S.version)
local fleet_version = redis.call('GET', KEYS[5])
if fleet_version and fleet_version ~= version then
  return {CODE.VERSION, 'fleet', fleet_version}
end
if not fleet_version then
  for _, other in ipairs(redis.call('ZRANGE', KEYS[2], 0, 15)) do
    local theirs = redis.call('HGET', k_worker(other), 'proto') or '1'
    if theirs ~= version then return {CODE.VERSION, 'worker ' .. other, theirs} end
  end
  local head = redis.call('LINDEX', KEYS[6], 0)
  if head and string.sub(head, 1, 1) == '{' then return {CODE.VERSION, 'backlog', '1'} end
  -- Protocol 1 kept a hash per job: one of them means protocol-1 jobs may still be queued.
  if redis.call('EXISTS', KEYS[7]) == 0 and #redis.call('SCAN', 0, 'MATCH', P .. 'job:*', 'COUNT', 100)[2] > 0 then
    return {CODE.VERSION, 'jobs', '1'}
  end
  redis.call('SET', KEYS[5], version)
end
if tonumber(redis.call('GET', KEYS[4]) or '0') < tonumber(pid) then
  redis.call('SET', KEYS[4], pid)
end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'pid', pid, 'proto', version, 'state', 'idle', 'registered', now_ms(), unpack(fields))
redis.call('ZADD', KEYS[2], now_ms(), pid)
redis.call('LREM', KEYS[3], 0, pid)
redis.call('RPUSH', KEYS[3], pid)
redis.call('PUBLISH', k_members(), '+' .. pid)
return {CODE.OK}
