--[[
  Places a chunk of jobs, all or nothing: every target is checked before anything is written.
  Safe to repeat: a job whose id the fleet already holds (an entry or a record) is not placed
  again. A keyed job whose key names a job that is queued or running joins that job. A chunk that
  would take the backlog past the fleet's limit ('settings' field backlogLimit) places nothing.
  Repeat-safe: see above.
  Input:
    KEYS[1] entries (hash)
    KEYS[2] records (hash)
    KEYS[3] lambda records (hash)
    KEYS[4] keys of keyed jobs (hash)
    KEYS[5] backlog list
    KEYS[6] fleet settings (hash)
    KEYS[7] the fleet's protocol version (string)
    ARGV[1] settings (see lib.lua)
    ARGV[2] candidate pids for open placement: ',1,2,' or '*'
    ARGV[3] how many lambda records follow (f)
    ARGV[4 .. 3+2f] per lambda record: its hash, its JSON (HSETNX: content-named, never rewritten)
    then how many specs follow (s), and per spec, 4 entries: job type ('' if not a registered
              type), key ('' if none), target, fallback
              target:   a pid -> that worker's pending list; 'open' -> the first open worker, else the fallback
              fallback: a pid, or 'backlog'
    then per job, 3 entries: job id, entry, its spec's number (1 .. s)
    Jobs of one chunk mostly share their type, target and fallback: each distinct spec is sent and
    checked once, and a job carries three arguments instead of six (making ARGV's strings is a
    large part of a placement's cost in Redis).
  Reaches worker keys (pending lists, in-flight lists, records, channels) through lib.lua. Ids are
  appended to each list in one RPUSH per list (chunks of 500) once every job is decided, and each
  worker given a job is looked at once per call and woken at its end: an idle worker that
  registered 'handover' = 1 and got one job from the call has it handed over (lib.lua's
  hand_over: started, its entry in the wake-up); any other idle worker gets 'j' and takes its
  jobs in one take.
  Output:
    {OK, where1, where2, ...}    per job: a pid, 0 for the backlog, -1 already placed (a repeat),
                                 or the id of the keyed job it joined (a string)
    {NO_SUCH_WORKER, pid}        no such live worker: nothing placed
    {UNKNOWN_TYPE, pid, type}    the worker does not list the job type: nothing placed
    {QUEUE_FULL, limit, length}  the backlog is at its limit: nothing placed
    {VERSION, found}             the fleet's workers speak protocol 'found': nothing placed
]]
local proto = redis.call('GET', KEYS[7])
if proto and proto ~= ST.version then return {CODE.VERSION, proto} end
local candidates = ARGV[2]
local nfn = tonumber(ARGV[3])
local nspec = tonumber(ARGV[4 + 2 * nfn])
local first = 5 + 2 * nfn + 4 * nspec
local n = (#ARGV - first + 1) / 3

-- A worker's record fields this call needs (state, handover, types), read once per worker.
local seen = {}
local function worker_fields(pid)
  local w = seen[pid]
  if not w then
    w = redis.call('HMGET', k_worker(pid), 'state', 'handover', 'types')
    seen[pid] = w
  end
  return w
end

-- Checks that a worker a spec names is live and lists its type: nil when it does, else the reply.
local function refusal(pid, jobtype)
  if pid == 'open' or pid == 'backlog' then return nil end
  local w = worker_fields(pid)
  if not worker_usable(pid, w[1]) then return {CODE.NO_SUCH_WORKER, pid} end
  if not worker_has_type(pid, jobtype, w[3] or '') then return {CODE.UNKNOWN_TYPE, pid, jobtype} end
  return nil
end

-- The specs, by their number as the jobs name it; each is checked once.
local specs = {}
for i = 1, nspec do
  local b = 5 + 2 * nfn + 4 * (i - 1)
  local spec = {jobtype = ARGV[b], key = ARGV[b + 1], target = ARGV[b + 2], fallback = ARGV[b + 3]}
  -- A job for one worker names it as both target and fallback: it is checked once.
  local refused = refusal(spec.target, spec.jobtype)
    or spec.fallback ~= spec.target and refusal(spec.fallback, spec.jobtype)
  if refused then return refused end
  specs[num_text(i)] = spec
end

local to_backlog = 0
for i = 1, n do
  local spec = specs[ARGV[first + 3 * i - 1]]
  if not spec then return redis.error_reply('place: job ' .. i .. ' names no spec of this call') end
  if spec.fallback == 'backlog' then to_backlog = to_backlog + 1 end
end
if to_backlog > 0 then
  local limit = tonumber(redis.call('HGET', KEYS[6], 'backlogLimit') or '')
  local length = limit and redis.call('LLEN', KEYS[5])
  if limit and length + to_backlog > limit then return {CODE.QUEUE_FULL, limit, length} end
end

for i = 1, nfn do
  redis.call('HSETNX', KEYS[3], ARGV[2 + 2 * i], ARGV[3 + 2 * i])
end
local placed, nplaced = {CODE.OK}, 1
local joined = {}
-- The ids each list gets, appended at the end: one RPUSH per list instead of one per job.
local appends, counts, lists = {}, {}, {}
local function append(list, id)
  local ids = appends[list]
  if not ids then
    ids = {}
    appends[list] = ids
    counts[list] = 0
    lists[#lists + 1] = list
  end
  local c = counts[list] + 1
  counts[list] = c
  ids[c] = id
end
-- Workers that were idle when this call gave them their first job, in order, with whether they
-- take hand-overs; each is woken at the end.
local woken, idle = {}, {}
-- Whether this call may be a repeat. A call runs whole or not at all, so the first job it stores
-- decides: when that one's id is in neither 'rec' nor 'jobs' this call never ran before and no
-- later id of it can be there either (ids are never reused). The entries of the jobs after it are
-- then written together, in one HSET per 500 before any worker is woken.
local maybe_repeat = true
local entries, nentries = n > 1 and {} or nil, 0
local events = events_on()
for i = 1, n do
  local b = first + 3 * (i - 1)
  local id, entry, spec = ARGV[b], ARGV[b + 1], specs[ARGV[b + 2]]
  local key, target = spec.key, spec.target
  local existing = key ~= '' and (joined[key] or redis.call('HGET', KEYS[4], key)) or nil
  local where
  -- A repeat of this very placement finds its own id under the key: already placed, not joined.
  if existing and existing ~= id and (redis.call('HEXISTS', KEYS[1], existing) == 1 or joined[key]) then
    where = existing
  elseif maybe_repeat and (redis.call('HEXISTS', KEYS[2], id) == 1 or redis.call('HSETNX', KEYS[1], id, entry) == 0) then
    where = -1
  else
    if not maybe_repeat then
      entries[nentries + 1], entries[nentries + 2] = id, entry
      nentries = nentries + 2
    end
    maybe_repeat = false
    if key ~= '' then
      redis.call('HSET', KEYS[4], key, id)
      joined[key] = id
    end
    local pid = target
    if target == 'open' then
      pid = take_open_worker(spec.jobtype, candidates) or spec.fallback
    end
    if pid == 'backlog' then
      -- No open worker took it (take_open_worker just looked): the backlog.
      append(KEYS[5], id)
      where = 0
    else
      append(k_pending(pid), id)
      if not woken[pid] then
        woken[pid] = true
        local w = worker_fields(pid)
        if w[1] == 'idle' then
          -- Off the open list from here on: take_open_worker does not offer it again in this call.
          -- It becomes busy when it is woken, at the end.
          redis.call('LREM', k_open(), '0', pid)
          idle[#idle + 1] = {pid = pid, handover = w[2] == '1', id = id, entry = entry}
        end
      end
      where = tonumber(pid)
    end
    if events then emit_event('PLACED', id, where, entry, nil) end
  end
  nplaced = nplaced + 1
  placed[nplaced] = where
end
for from = 1, nentries, 1000 do
  redis.call('HSET', KEYS[1], unpack(entries, from, math.min(nentries, from + 999)))
end
-- A worker that was idle and got one job from this call has it handed over; one that got several
-- takes them (a take moves up to its batch at once).
for _, w in ipairs(idle) do
  local list = k_pending(w.pid)
  if w.handover and counts[list] == 1 and #w.entry <= S.maxEntry then
    counts[list] = 0
    hand_over(w.pid, w.id, w.entry)
    emit_event('STARTED', w.id, w.pid, w.entry, nil)
  else
    redis.call('HSET', k_worker(w.pid), 'state', 'busy')
    redis.call('PUBLISH', k_signals(w.pid), 'j')
  end
end
for _, list in ipairs(lists) do
  local ids, count = appends[list], counts[list]
  for from = 1, count, 500 do
    redis.call('RPUSH', list, unpack(ids, from, math.min(count, from + 499)))
  end
end
return placed
