--[[
  One reaper tick, timed by Redis's clock: promotes due delayed jobs, trims finished records past
  their age, then — at most once per lock period across the fleet — takes out every worker whose
  last heartbeat is older than its lease (its record field 'lease', ms, else ARGV[2]) and hands
  on its in-flight jobs and a first chunk of its queued ones (lib.lua's rehome_worker); workers
  with queued ids left are in 'orphans' and returned, for the caller to finish with close.lua.
  After a Redis restart (its run_id changed) it reaps nobody: every live worker is re-scored to
  now, one lease of grace, so an outage does not make the whole fleet look dead.
  Repeat-safe: a repeat finds the lock held (SKIPPED), or promotes only jobs due by then and reaps
  only workers still past their lease: nothing is handed on twice.
  Input:
    KEYS[1] live workers (sorted set, scored by heartbeat, Redis time ms)
    KEYS[2] reaper lock (string, SET NX PX)
    KEYS[3] Redis run id the fleet last saw (string)
    KEYS[4] orphans (set)
    ARGV[1] settings (see lib.lua)
    ARGV[2] lease, ms, for workers whose record has no 'lease' field
    ARGV[3] lock owner (for diagnosis)
    ARGV[4] lock period, ms (the fleet reaps at most once per period)
  Reaches the keys of the workers it finds, jobs and managers through lib.lua.
  Output:
    {SKIPPED, promoted}                          another reaper reaped within the lock period
    {GRACE, promoted, workers}                   Redis restarted: workers given a lease of grace
    {OK, promoted, reaped, moved, failed, dead_lettered, poisoned, norphans, orphan pids..., reaped pids...}
]]
local now = now_ms()
local promoted = promote_due(now, S.promoteMax)
trim_finished(S.chunk, now)

if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', tonumber(ARGV[4])) then
  return {CODE.SKIPPED, promoted}
end

local run_id = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') or ''
local seen = redis.call('GET', KEYS[3])
if seen ~= run_id then
  redis.call('SET', KEYS[3], run_id)
  local live = redis.call('ZRANGE', KEYS[1], 0, -1)
  for _, pid in ipairs(live) do
    redis.call('ZADD', KEYS[1], 'XX', now, pid)
  end
  -- A fleet's first tick (no run id recorded yet) re-scores likewise but reports 0: nothing restarted.
  if not seen then return {CODE.GRACE, promoted, 0} end
  return {CODE.GRACE, promoted, #live}
end

-- A worker's own lease (record field 'lease', ms) wins over ARGV[2]: a reaper configured with a
-- shorter lease than a worker's must never reap that worker while it still heartbeats.
local candidates = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - math.min(S.minLeaseMs, tonumber(ARGV[2]))),
  'WITHSCORES')
local dead = {}
for i = 1, #candidates, 2 do
  local pid, score = candidates[i], tonumber(candidates[i + 1])
  local lease = tonumber(redis.call('HGET', k_worker(pid), 'lease') or '') or tonumber(ARGV[2])
  if score < now - lease then dead[#dead + 1] = pid end
end
local moved, failed, dl, poisoned = 0, 0, 0, 0
for _, pid in ipairs(dead) do
  local m, f, d, p = rehome_worker(pid, true, 'dead', 'no heartbeat within its lease')
  moved, failed, dl, poisoned = moved + m, failed + f, dl + d, poisoned + p
end
local orphans = redis.call('SRANDMEMBER', KEYS[4], S.orphansPerTick)
local reply = {CODE.OK, promoted, #dead, moved, failed, dl, poisoned, #orphans}
for _, pid in ipairs(orphans) do reply[#reply + 1] = tonumber(pid) end
for _, pid in ipairs(dead) do reply[#reply + 1] = tonumber(pid) end
return reply
