--[[
  Records a running job's progress in its job hash, unless the hash is gone (expired or never
  placed), so progress never creates a hash without a TTL; a PROGRESS event while the fleet has a
  listener.
  Repeat-safe: it only sets a field.
  Input:
    KEYS[1] job hash
    ARGV[1] settings (see lib.lua)
    ARGV[2] fraction done, 0..1
  Output:
    {OK}     recorded
    {NO_JOB} no such job hash
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {CODE.NO_JOB}
end
redis.call('HSET', KEYS[1], 'progress', ARGV[2])
emit_event('PROGRESS', string.sub(KEYS[1], #P + 5), redis.call('HGET', KEYS[1], 'pid'))
return {CODE.OK}
