--[[
  One reaper tick, timed by Redis's clock: promotes due delayed jobs, then — at most once per
  lock period across the fleet — re-homes the jobs of every worker whose last heartbeat is older
  than its lease (its hash field 'lease', ms, else ARGV[2]; '-<pid>' is published on the members channel) (lib.lua's rehome_worker: in-flight and queued jobs to open workers or the
  backlog, counted, at most S.chunk queued jobs per worker per call; pinned ones fail WORKER_LOST; an in-flight job that used up its deliveries
  fails POISON). After a Redis restart (its run_id changed) it reaps nobody: every live worker is
  re-scored to now, one lease of grace, so an outage does not make the whole fleet look dead.
  Reaches the keys of the workers it finds through lib.lua's k_* functions.
  Repeat-safe: a second run finds the reaped workers gone and promotes only jobs that are due.
  Input:
    KEYS[1] live workers (sorted set, scored by heartbeat, Redis time ms)
    KEYS[2] reaper lock (string, SET NX PX)
    KEYS[3] Redis run id the fleet last saw (string)
    ARGV[1] settings (see lib.lua)
    ARGV[2] lease, ms, for workers whose hash has no 'lease' field
    ARGV[3] lock owner (for diagnosis)
    ARGV[4] lock period, ms (the fleet reaps at most once per period)
  Output:
    {SKIPPED, promoted}                                       another reaper reaped within the lock period
    {GRACE, promoted, workers}                               Redis restarted: workers given a lease of grace
                                                             (workers 0 on a fleet's first tick: no run id seen before)
    {OK, promoted, reaped, moved, failed, dead_lettered, poisoned, n, orphan1 .. orphann, pid1, pid2, ...}
        reaped those pids (each hands on at most S.chunk queued jobs); the orphans are workers out
        of the fleet with queued jobs left, for the caller to finish with rehome-7.lua
]]
local now = now_ms()
local promoted = promote_due(now, S.promoteMax)

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

-- A worker's own lease (hash field 'lease', ms) wins over ARGV[2]: a reaper configured with a
-- shorter lease than a worker's must never reap that worker while it still heartbeats.
local dead = {}
for _, pid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - math.min(1000, tonumber(ARGV[2]))), 'WITHSCORES')) do
  dead[#dead + 1] = pid
end
local expired = {}
for i = 1, #dead, 2 do
  local pid, score = dead[i], tonumber(dead[i + 1])
  local lease = tonumber(redis.call('HGET', k_worker(pid), 'lease') or '') or tonumber(ARGV[2])
  if score < now - lease then expired[#expired + 1] = pid end
end
dead = expired
local reply = {CODE.OK, promoted, #dead, 0, 0, 0, 0}
for _, pid in ipairs(dead) do
  local moved, failed, dl, poisoned = rehome_worker(pid, true, 'dead',
    'no heartbeat within its lease')
  reply[4] = reply[4] + moved
  reply[5] = reply[5] + failed
  reply[6] = reply[6] + dl
  reply[7] = reply[7] + poisoned
end
local orphans = redis.call('SRANDMEMBER', k_orphans(), S.orphansPerTick)
reply[8] = #orphans
for _, pid in ipairs(orphans) do reply[#reply + 1] = tonumber(pid) end
for _, pid in ipairs(dead) do reply[#reply + 1] = tonumber(pid) end
return reply
