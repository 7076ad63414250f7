--[[
  Requeues the dead-letter list: every entry that holds a readable job gets a fresh start (job
  hash back to 'queued', deliveries 0, no outcome, no expiry) on an open worker or the backlog;
  entries that are not jobs stay in the list.
  Reaches the keys of workers and jobs through lib.lua's k_* functions.
  Input:
    KEYS[1] dead-letter list
    KEYS[2] backlog list
    ARGV[1] settings (see lib.lua)
  Output:
    {OK, requeued, kept}
]]
local entries = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
local requeued, kept = 0, 0
for _, e in ipairs(entries) do
  local ok, d = pcall(cjson.decode, e)
  local payload = ok and type(d) == 'table' and d.entry or nil
  local okj, job = false, nil
  if type(payload) == 'string' then okj, job = pcall(cjson.decode, payload) end
  if okj and type(job) == 'table' and type(job.id) == 'string' and job.v == S.version then
    local jkey = k_job(job.id)
    redis.call('HDEL', jkey, 'outcome', 'finished', 'attempts', 'lastError')
    redis.call('HSET', jkey, 'payload', payload, 'state', 'queued', 'deliveries', 0,
      'manager', job.manager or '', 'requeued', now_ms())
    redis.call('PERSIST', jkey)
    local jobtype = ''
    if job.form == 'type' and type(job.type) == 'string' then jobtype = job.type end
    place_open_or_backlog(job.id, payload, jobtype, '*')
    requeued = requeued + 1
  else
    redis.call('RPUSH', KEYS[1], e)
    kept = kept + 1
  end
end
return {CODE.OK, requeued, kept}
