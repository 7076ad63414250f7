--[[
  Requeues dead-lettered jobs, up to S.chunk records per call: a record that holds a whole
  protocol-2 entry gets a fresh start — the entry back unchanged (never re-signed: the worker
  checks its signature again), its record cleared, its id on an open worker or the backlog.
  Records without a whole entry (truncated, not a job, another version) stay, at the end.
  Input:
    KEYS[1] dead-letter list
    KEYS[2] entries (hash)
    KEYS[3] records (hash)
    ARGV[1] settings (see lib.lua)
    ARGV[2] how many records to look at (at most S.chunk)
  Output:
    {OK, requeued, kept}
]]
local requeued, kept = 0, 0
for _ = 1, math.min(tonumber(ARGV[2]), S.chunk) do
  local text = redis.call('LPOP', KEYS[1])
  if not text then break end
  local ok, d = pcall(cjson.decode, text)
  local entry = ok and type(d) == 'table' and not d.truncated and type(d.entry) == 'string' and d.entry or nil
  local job = entry and read_entry(entry) or nil
  if job and type(job.id) == 'string' and job.id == d.jobId then
    redis.call('HSET', KEYS[2], job.id, entry)
    redis.call('HDEL', KEYS[3], job.id)
    place_open_or_backlog(job.id, job_type(job), '*')
    requeued = requeued + 1
  else
    redis.call('RPUSH', KEYS[1], text)
    kept = kept + 1
  end
end
return {CODE.OK, requeued, kept}
