--[[
  Places jobs to run later: each entry is stored, its id goes to the delayed-jobs set scored by
  the Redis time it becomes due, its record says 'delayed'; reap.lua (every reaper tick) moves due
  ids to an open worker or the backlog. Safe to repeat: an id the fleet holds is not placed again.
  Repeat-safe: see above.
  Input:
    KEYS[1] entries (hash)
    KEYS[2] records (hash)
    KEYS[3] delayed jobs (sorted set)
    ARGV[1] settings (see lib.lua)
    ARGV[2..] per job, 3 entries: job id, entry, delay in ms
  Output:
    {OK, n}  n jobs scheduled
]]
local now = now_ms()
local n = (#ARGV - 1) / 3
local placed = 0
for i = 1, n do
  local b = 1 + (i - 1) * 3
  local id, entry, delay = ARGV[b + 1], ARGV[b + 2], tonumber(ARGV[b + 3])
  if redis.call('HEXISTS', KEYS[1], id) == 0 and redis.call('HEXISTS', KEYS[2], id) == 0 then
    redis.call('HSET', KEYS[1], id, entry)
    write_fields(id, 'delayed', '', 0, 0, now + delay)
    redis.call('ZADD', KEYS[3], now + delay, id)
    emit_event('PLACED', id, '', entry, nil)
    placed = placed + 1
  end
end
return {CODE.OK, placed}
