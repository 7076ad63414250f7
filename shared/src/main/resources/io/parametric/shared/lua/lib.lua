--[[
  Shared functions of protocol 2. The scripts of this folder are loaded into Redis as one
  function library (FUNCTION LOAD, called with FCALL; LuaScripts, LuaLibrary): the functions of
  this file they use (and every statement that is not a function), then each script as the body
  of a function run_<script>, which Redis calls after begin_run. A library's code runs once, when
  it is loaded; a call runs only its script's function.

  ARGV[1] of every script is the settings line Fleet passes from ProtocolSettings (one Java place
  for every TTL, interval and limit a script uses): 'prefix=pp:{f}:;version=2;jobTtl=86400;...'.
  No script has a constant of its own.

  Keys: every key name is built here, by the k_* functions, which mirror FleetKeys (a test fails
  when they disagree). Scripts that reach keys of workers or managers they discover while running
  (placement, re-homing, outcomes) build them with these functions from the fleet prefix: every
  key of a fleet carries the same {fleet} hash tag, so this stays within one Cluster slot.

  Return codes: CODE mirrors the Java enum ScriptCode (a test fails when they disagree).

  Lua cannot sign: entries and worker outcomes are signed by Java (HMAC-SHA-256 of the body with
  the fleet secret) and checked by Java; scripts only route them. Outcomes a script makes carry
  the signature '-' and never a value (see script_outcome).

  Entries (field of k_jobs(), the only copy of a job's bytes): '<version> <signature> <body>'.
  Records (field of k_rec()): 'state|pid|deliveries|attempts|ms|progress|outcome'.
]]
-- The settings of the current call (S, a table of ARGV[1]; ST, the same values as the line's text)
-- and its fleet prefix (P); LINE is the line they were read from. Read-only for scripts. A number
-- passed to redis.call is formatted with sprintf on every call (about 0.25 µs each): commands
-- take a setting's text (ST) and a count's num_text, never a Lua number.
local LINE, S, ST, P

local CODE = {OK = 1, RETRY = 2, INTERRUPTING = 3, REMOVED = 4, FINISHED = 5, WATCHING = 6, SKIPPED = 7,
  GRACE = 8, STALE = -1, NO_SUCH_WORKER = -2, UNKNOWN_TYPE = -3, NO_JOB = -4, GONE = -5,
  VERSION = -6, REPEATED = -7, QUEUE_FULL = -8}

local function k_proto() return P .. 'proto' end
local function k_settings() return P .. 'settings' end
local function k_pids() return P .. 'pids' end
local function k_workers() return P .. 'workers' end
local function k_open() return P .. 'open' end
local function k_backlog() return P .. 'backlog' end
local function k_delayed() return P .. 'delayed' end
local function k_jobs() return P .. 'jobs' end
local function k_fn() return P .. 'fn' end
local function k_rec() return P .. 'rec' end
local function k_fin() return P .. 'fin' end
local function k_keys() return P .. 'keys' end
local function k_watch() return P .. 'watch' end
local function k_dead() return P .. 'dead' end
local function k_reaper() return P .. 'reaper' end
local function k_runid() return P .. 'runid' end
local function k_stale() return P .. 'stale' end
local function k_orphans() return P .. 'orphans' end
local function k_worker(pid) return P .. 'w:' .. pid end
local function k_pending(pid) return P .. 'w:' .. pid .. ':pending' end
local function k_inflight(pid) return P .. 'w:' .. pid .. ':inflight' end
local function k_value(name) return P .. 'v:' .. name end
local function k_worker_value(pid, name) return P .. 'w:' .. pid .. ':v:' .. name end
local function k_done(manager) return P .. 'done:' .. manager end
local function k_signals(pid) return P .. 'w:' .. pid .. ':signals' end
local function k_minute(n) return P .. 'minute:' .. n end
local function k_events() return P .. 'events' end
local function k_listening() return P .. 'listening' end
local function k_members() return P .. 'members' end

-- What one script run has read once and reuses (begin_run makes it anew for every call): a script
-- stores many outcomes and takes many jobs per call, and each of these would otherwise cost a
-- command per job.
local RUN

-- Starts a call: reads the settings line when it is not the last call's (the parsed table is kept
-- between calls: it cost about 9 µs a call) and forgets what the last run read.
local function begin_run(args)
  local line = args[1] or ''
  if line ~= LINE then
    S, ST = {}, {}
    for k, v in string.gmatch(line, '([^=;]+)=([^;]*)') do
      S[k] = tonumber(v) or v
      ST[k] = v
    end
    P = S.prefix or ''
    LINE = line
  end
  RUN = {
    now = nil,          -- Redis time (ms), read once: a script runs for microseconds
    nowText = nil,      -- that time as text (num_text)
    kept = nil,         -- completion lists whose expiry this run has set (a table, made on first use)
    watched = nil,      -- whether any job has watchers (the 'watch' hash exists)
    fin = nil,          -- the length of the retention list 'fin', once known
    finYoung = false,   -- its head is a record retention keeps (so is every record after it)
    openEmpty = false,  -- the open-worker list was found empty and nothing was pushed on it since
    batch = nil,        -- while a script stores many outcomes (begin_batch): the writes of all of them, done at its end
    listening = nil,    -- whether some listener of the fleet has 'listening' set (events_on)
    fnClass = nil,      -- the class each lambda record names (fn_class; a table, made on first use)
  }
end

local function now_ms()
  if RUN.now == nil then
    local t = redis.call('TIME')
    local ms = math.floor(tonumber(t[2]) / 1000)
    RUN.now = tonumber(t[1]) * 1000 + ms
    -- The same text as tostring(RUN.now), made from TIME's seconds with an integer format.
    RUN.nowText = string.format('%s%03d', t[1], ms)
  end
  return RUN.now
end

-- A number as text (records, command arguments). Lua formats a number with sprintf('%.14g'),
-- about 3,000 instructions each: a count up to 255 and this run's Redis time are formatted once
-- (the same text as tostring). The table is made on first use: a library's load may not call
-- tostring.
local SMALL
local function num_text(n)
  if SMALL == nil then
    SMALL = {}
    for i = 0, 255 do SMALL[i] = tostring(i) end
  end
  local text = SMALL[n]
  if text then return text end
  if n == RUN.now then return RUN.nowText end
  return tostring(n)
end

-- Sets a list's expiry the first time this run pushes to it, when it has none: pushed is how many
-- values the push added and length what RPUSH returned (equal: the push made the list).
local function keep_for(key, seconds, pushed, length)
  local kept = RUN.kept
  if kept == nil then
    kept = {}
    RUN.kept = kept
  elseif kept[key] then
    return
  end
  kept[key] = true
  if pushed == length or redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, seconds) end
end

-- Counts an outcome ('done' or 'failed') in the fleet's per-minute counters (hash
-- 'minute:<epoch minute>', kept one hour from its first count: at most 61 such keys exist).
local function count_outcome(field, now, n)
  local key = k_minute(math.floor(now / 60000))
  if redis.call('HINCRBY', key, field, num_text(n)) == n then redis.call('EXPIRE', key, ST.minuteTtl) end
end

-- Appends a value to a list at the end of the batch (one RPUSH per list for all of it).
local function push(key, value)
  local b = RUN.batch
  local values = b.lists[key]
  if not values then
    values = {}
    b.lists[key] = values
    b.order[#b.order + 1] = key
  end
  values[#values + 1] = value
end

-- Starts batching what a script writes for many jobs: record writes, entry deletes, list appends
-- and counters are written together by end_batch, a command each instead of one per job (a
-- worker's finish stores up to its batch of outcomes per call and its take admits up to its batch;
-- any other outcome is a batch of its own). Reads of a record see the batch's writes (read_rec).
local function begin_batch()
  RUN.batch = {lists = {}, order = {}, stored = 0, done = 0, failed = 0, recs = {}, recArgs = {}, unjobs = {}, gone = {}}
end

-- The class a lambda record names, read once per script run (only while events are written).
local function fn_class(hash)
  local classes = RUN.fnClass
  if classes == nil then
    classes = {}
    RUN.fnClass = classes
  end
  if classes[hash] == nil then
    local ok, rec = pcall(cjson.decode, redis.call('HGET', k_fn(), hash) or '')
    classes[hash] = ok and type(rec) == 'table' and type(rec.cls) == 'string' and rec.cls or hash
  end
  return classes[hash]
end

-- True while some listener of the fleet has 'listening' set: read once per script run.
-- It reads 'listening' and 'watch' in one EXISTS, which answers for both (store_outcome reads
-- RUN.watched) when it counts neither (the common case) or both; when it counts one, a second
-- EXISTS says which.
local function events_on()
  if RUN.listening == nil then
    local both = redis.call('EXISTS', k_listening(), k_watch())
    if both == 1 then
      RUN.listening = redis.call('EXISTS', k_listening()) == 1
      RUN.watched = not RUN.listening
    else
      RUN.listening, RUN.watched = both == 2, both == 2
    end
  end
  return RUN.listening
end

-- Appends a job event to the fleet's capped stream 'events', only while events_on() (a fleet
-- nobody watches pays one EXISTS per script run). Fields:
-- kind, job, pid, type (the registered type, else the record or lambda class) and 'ms': for
-- COMPLETED and FAILED how long it ran, '' when not known. 'job' is the decoded entry (a table),
-- an entry's text, or a type name; it is read only when the event is written.
local function emit_event(kind, id, pid, job, ms)
  if not events_on() then return end
  if type(job) == 'table' and job.entry then job = job.entry end
  if type(job) == 'string' and string.match(job, '^%d+ %S+ {') then
    local ok, decoded = pcall(cjson.decode, string.match(job, '^%d+ %S+ (.*)$'))
    job = ok and decoded or nil
  end
  local label = ''
  if type(job) == 'table' then
    label = job.type or job.cls or (type(job.fn) == 'string' and fn_class(job.fn)) or ''
  elseif type(job) == 'string' then
    label = job
  end
  if type(label) ~= 'string' then label = '' end
  redis.call('XADD', k_events(), 'MAXLEN', '~', ST.eventsCap, '*', 'kind', kind, 'job', id,
    'pid', tostring(pid or ''), 'type', label, 'ms', ms and tostring(ms) or '')
end

-- Records ---------------------------------------------------------------------------------------

-- A record's text as a table; nil when there is none or it is not in that shape.
local function parse_rec(text)
  if not text then return nil end
  local state, pid, deliveries, attempts, ms, progress, outcome =
    string.match(text, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  if not state then return nil end
  return {state = state, pid = pid, deliveries = tonumber(deliveries) or 0, attempts = tonumber(attempts) or 0,
    ms = tonumber(ms) or 0, progress = progress, outcome = outcome}
end

-- A job's record: the one this run's batch wrote, else text (when the caller read it already, e.g.
-- with one HMGET for many ids; false: there is none), else read now.
local function read_rec(id, text)
  local b = RUN.batch
  local written = b and b.recs[id]
  if written then return parse_rec(written) end
  if text == nil then text = redis.call('HGET', k_rec(), id) end
  return parse_rec(text)
end

-- The values of many fields of a hash (HMGET, in chunks of 500), in the same order (false: none).
local function hmget(key, fields)
  local values = {}
  for from = 1, #fields, 500 do
    local chunk = redis.call('HMGET', key, unpack(fields, from, math.min(#fields, from + 499)))
    for i = 1, #chunk do values[from + i - 1] = chunk[i] end
  end
  return values
end

-- The records of many ids, as texts in the same order (false: none).
local function rec_texts(ids)
  return hmget(k_rec(), ids)
end

-- Writes a job's record from its fields (ms nil: now), at the end of the batch while one is open.
local function write_fields(id, state, pid, deliveries, attempts, ms, progress, outcome)
  local text = state .. '|' .. (pid or '') .. '|' .. num_text(deliveries or 0) .. '|'
    .. num_text(attempts or 0) .. '|' .. num_text(ms or now_ms()) .. '|' .. (progress or '') .. '|'
    .. (outcome or '')
  local b = RUN.batch
  if b then
    b.recs[id] = text
    b.recArgs[#b.recArgs + 1] = id
    b.recArgs[#b.recArgs + 1] = text
  else
    redis.call('HSET', k_rec(), id, text)
  end
end

-- Writes a job's record as parse_rec returns it (a record read, then changed).
local function write_rec(id, r)
  write_fields(id, r.state, r.pid, r.deliveries, r.attempts, r.ms, r.progress, r.outcome)
end

local function ended(state)
  return state == 'done' or state == 'failed' or state == 'cancelled'
end

-- Entries ---------------------------------------------------------------------------------------

-- The version, id and manager an entry names, read without decoding its JSON: EntryCodec writes
-- the id first and the manager second. nil when the entry is not in that shape (read_entry then
-- says why).
local function entry_head(entry)
  return string.match(entry, '^(%d+) %S+ {"id":"([^"\\]*)","m":"([%w_-]*)"')
end

-- The body of an entry as a table, or nil with why. Lua cannot check the signature (the worker
-- does); scripts only read routing fields (manager, type, key, pinned, limits) from it.
local function read_entry(entry)
  local version, body = string.match(entry, '^(%d+) %S+ (.*)$')
  if not version then return nil, 'not a protocol-' .. S.version .. ' entry (protocol 1 or foreign data)' end
  if tonumber(version) ~= S.version then return nil, 'a protocol-' .. version .. ' entry' end
  local ok, job = pcall(cjson.decode, body)
  if not ok or type(job) ~= 'table' then return nil, 'the body is not a JSON object' end
  return job
end

-- The size of a job's entry, 0 when there is none or this run's batch deleted it (known: the size
-- the caller read already, nil to read it here).
local function entry_size(id, known)
  local b = RUN.batch
  if b and b.gone[id] then return 0 end
  return known or redis.call('HSTRLEN', k_jobs(), id)
end

-- An entry, read only when it is within the size limit: the entry and its size; nil and its size
-- when it is larger (never loaded into the script: someone rewrote it after it was checked); nil
-- and 0 when there is none.
local function bounded_entry(id)
  local size = entry_size(id)
  if size == 0 or size > S.maxEntry then return nil, size end
  return redis.call('HGET', k_jobs(), id), size
end

-- The routing fields (m, key) of an entry without decoding its JSON when EntryCodec wrote it (the
-- key is its last field; 'entry' keeps the text for an event); else the whole body decoded. An
-- empty table when it cannot be read.
local function entry_routing(entry)
  local _, _, m = entry_head(entry)
  if m then
    -- Most entries have no key: a plain find says so without matching the pattern at every byte.
    if not string.find(entry, ',"key":"', 1, true) then return {m = m, entry = entry} end
    local key = string.match(entry, ',"key":"([^"\\]*)"}$')
    if key then return {m = m, key = key, entry = entry} end
  end
  return read_entry(entry) or {}
end

local function job_type(job)
  if job and job.form == 'type' and type(job.type) == 'string' then return job.type end
  return ''
end

local function delivery_limit(job)
  local limit = job and tonumber(job.md)
  if limit == nil or limit < 1 then return S.maxDeliveries end
  return limit
end

-- The manager a job id names: ids are '<manager id>.<n>' (JobIds), so a job whose entry is
-- unreadable or too large to read is still failed to the manager that waits for it.
local function manager_of_id(id)
  return string.match(id, '^([%w_-]+)%.') or ''
end

-- Outcomes --------------------------------------------------------------------------------------

-- An outcome made by a script: unsigned ('-'), never a value, only a reason and a fixed message.
local function script_outcome(id, pid, reason, message, attempt)
  return S.version .. ' - ' .. cjson.encode({jobId = id, pid = tonumber(pid) or 0, ok = false, reason = reason,
    message = message, attempt = attempt or 0})
end

-- For each retention list ('fin' of a fleet), when (Redis time, ms) the record at its head ended,
-- last time it was read: kept between calls (a library's state lives as long as it is loaded), so
-- a call that finds the list within the count reads its head again only once that time is past
-- the retention age. Ids are appended as their jobs end, so the head is the oldest and a later
-- head is not older: the time stays a safe bound whatever is popped. Lost with the library (a
-- restart, a failover), it is read again. Forgotten whole past 1,000 fleets.
local FIN_HEAD_MS, FIN_HEADS = {}, 0

-- Drops the oldest finished records past the retention count or age, at most max of them. An id
-- whose record is not ended (its job was placed again) leaves 'fin' but keeps its record.
local function trim_finished(max, now)
  local fin = k_fin()
  if RUN.fin == nil then RUN.fin = redis.call('LLEN', fin) end
  -- Past the count the oldest go whatever their age: read, popped and deleted together (4 commands
  -- for all of them, where one at a time cost 4 each).
  local over = math.min(max, RUN.fin - S.keepCount)
  if over > 0 then
    local ids = redis.call('LRANGE', fin, 0, over - 1)
    local texts = redis.call('HMGET', k_rec(), unpack(ids))
    local gone = {}
    for i, id in ipairs(ids) do
      local r = parse_rec(texts[i])
      if r == nil or ended(r.state) then gone[#gone + 1] = id end
    end
    redis.call('LTRIM', fin, #ids, -1)
    if #gone > 0 then redis.call('HDEL', k_rec(), unpack(gone)) end
    RUN.fin = RUN.fin - #ids
    max = max - #ids
  end
  -- Within the count, by age from the head, up to the first record retention keeps.
  for _ = 1, max do
    if RUN.finYoung or now - (FIN_HEAD_MS[fin] or -math.huge) <= S.jobTtl * 1000 then return end
    local head = redis.call('LINDEX', fin, 0)
    if not head then return end
    local r = read_rec(head)
    if r ~= nil and ended(r.state) and now - r.ms <= S.jobTtl * 1000 then
      RUN.finYoung = true
      if FIN_HEAD_MS[fin] == nil then
        FIN_HEADS = FIN_HEADS + 1
        if FIN_HEADS > 1000 then FIN_HEAD_MS, FIN_HEADS = {}, 1 end
      end
      FIN_HEAD_MS[fin] = r.ms
      return
    end
    redis.call('LPOP', fin)
    if r == nil or ended(r.state) then redis.call('HDEL', k_rec(), head) end
    RUN.fin = RUN.fin - 1
  end
end

-- Writes what a batch held back: the records (one HSET per 500; a record written twice keeps its
-- last text), the entries of ended jobs deleted, one RPUSH per list (in chunks of 500 values), the
-- expiry of the completion lists, the retention trim (2 per outcome) and the counters.
local function end_batch()
  local b = RUN.batch
  RUN.batch = nil
  local recArgs = b.recArgs
  for from = 1, #recArgs, 1000 do
    redis.call('HSET', k_rec(), unpack(recArgs, from, math.min(#recArgs, from + 999)))
  end
  for from = 1, #b.unjobs, 500 do
    redis.call('HDEL', k_jobs(), unpack(b.unjobs, from, math.min(#b.unjobs, from + 499)))
  end
  local fin = k_fin()
  for _, key in ipairs(b.order) do
    local values = b.lists[key]
    local len = 0
    for from = 1, #values, 500 do
      len = redis.call('RPUSH', key, unpack(values, from, math.min(#values, from + 499)))
    end
    if key == fin then RUN.fin = len else keep_for(key, ST.doneTtl, #values, len) end
  end
  local now = now_ms()
  if b.stored > 0 then trim_finished(2 * b.stored, now) end
  if b.done > 0 then count_outcome('done', now, b.done) end
  if b.failed > 0 then count_outcome('failed', now, b.failed) end
end

-- Stores a job's outcome: its record, the manager's and watchers' completion lists, the key freed,
-- the entry removed (its bytes are not needed any more), the per-minute counters and the event,
-- the retention list trimmed a little. started: the Redis time (ms) the job started, or nil;
-- before: the job's record as the caller read it (nil: read here).
local function store_outcome(id, job, state, outcome, pid, deliveries, attempts, started, before)
  local own = RUN.batch == nil
  if own then begin_batch() end
  local now = now_ms()
  if before == nil then before = read_rec(id) end
  write_fields(id, state, pid, deliveries, attempts, now, before and before.progress or '', outcome)
  local b = RUN.batch
  b.unjobs[#b.unjobs + 1] = id
  b.gone[id] = true
  local key = job and job.key
  if type(key) == 'string' and key ~= '' and redis.call('HGET', k_keys(), key) == id then
    redis.call('HDEL', k_keys(), key)
  end
  -- The outcome goes to its manager's completion list, then to each watcher's.
  local manager = job and job.m
  if type(manager) ~= 'string' or manager == '' then manager = manager_of_id(id) end
  if manager ~= '' then push(k_done(manager), outcome) end
  if RUN.watched == nil then RUN.watched = redis.call('EXISTS', k_watch()) == 1 end
  local watchers = RUN.watched and redis.call('HGET', k_watch(), id)
  if watchers then
    for m in string.gmatch(watchers, '[^,]+') do push(k_done(m), outcome) end
    redis.call('HDEL', k_watch(), id)
  end
  push(k_fin(), id)
  b.stored = b.stored + 1
  if state == 'done' then b.done = b.done + 1 else b.failed = b.failed + 1 end
  emit_event(state == 'done' and 'COMPLETED' or 'FAILED', id, pid, job, started and math.max(0, now - started) or nil)
  if own then end_batch() end
end

-- Fails a job no worker will run, with a script-made outcome.
local function fail_job(id, job, state, reason, message, pid, deliveries)
  local r = read_rec(id) or {}
  store_outcome(id, job, state or 'failed', script_outcome(id, pid, reason, message, deliveries), pid or '',
    deliveries or r.deliveries or 0, r.attempts or 0, nil, r)
end

-- Dead letters ----------------------------------------------------------------------------------

-- Appends a dead-letter record: the entry itself when small, else its first 64 KiB with its
-- size and SHA-1 (made here: an oversized entry never leaves Redis). The list is capped.
local function dead_letter(id, reason, entry, size)
  local record = {reason = reason, jobId = id, size = entry and #entry or size or 0}
  if entry then
    if #entry > S.deadCopy then
      record.entry = string.sub(entry, 1, S.deadCopy)
      record.sha1 = redis.sha1hex(entry)
      record.truncated = true
    else
      record.entry = entry
    end
  end
  redis.call('RPUSH', k_dead(), cjson.encode(record))
  if redis.call('LLEN', k_dead()) > S.deadCap then redis.call('LPOP', k_dead()) end
end

-- Workers ---------------------------------------------------------------------------------------

-- A worker can take new jobs: registered, live, not closing or closed. state: its record's state
-- as the caller read it (nil or false: read here).
local function worker_usable(pid, state)
  state = state or redis.call('HGET', k_worker(pid), 'state')
  if state ~= 'idle' and state ~= 'busy' then return false end
  return redis.call('ZSCORE', k_workers(), pid) ~= false
end

-- The worker lists the job type (types are stored as ",a,b,"); '' means any worker will do. types:
-- its record's types as the caller read them (nil: read here).
local function worker_has_type(pid, jobtype, types)
  if jobtype == nil or jobtype == '' then return true end
  types = types or redis.call('HGET', k_worker(pid), 'types') or ''
  return string.find(types, ',' .. jobtype .. ',', 1, true) ~= nil
end

-- Hands a job straight to a worker that was idle (the caller took it off the open list), as its
-- take would: the worker becomes busy with it, the id goes into its (empty) in-flight list with its
-- first delivery counted (record 'running'), and the entry travels in the wake-up itself
-- ('J <id> <entry>'), so the worker starts it without a take. The caller checked that the worker
-- registered 'handover' and that the entry is within the size limit. Pub/sub may lose the
-- message; the id waits in the in-flight list, which the worker's next take returns (every
-- resubscription wakes it).
local function hand_over(pid, id, entry)
  redis.call('RPUSH', k_inflight(pid), id)
  write_fields(id, 'running', pid, 1, 0)
  redis.call('HSET', k_worker(pid), 'state', 'busy', 'job', id)
  redis.call('PUBLISH', k_signals(pid), 'J ' .. id .. ' ' .. entry)
end

-- Pop open workers until one can take the job (candidates: ',1,2,' or '*'); returns its pid or
-- false. Workers popped that cannot take it are put back, except dead and closed ones. The open
-- list holds each worker at most once, so this is bounded by the fleet's size.
local function take_open_worker(jobtype, candidates)
  if RUN.openEmpty then return false end
  local open = k_open()
  local skipped = {}
  local found = false
  local n = redis.call('LLEN', open)
  RUN.openEmpty = n == 0
  for _ = 1, n do
    local pid = redis.call('LPOP', open)
    if not pid then break end
    if worker_usable(pid) then
      local wanted = candidates == '*' or string.find(candidates, ',' .. pid .. ',', 1, true) ~= nil
      if wanted and worker_has_type(pid, jobtype) and redis.call('LLEN', k_pending(pid)) == 0 then
        found = pid
        break
      end
      table.insert(skipped, pid)
    end
  end
  for i = #skipped, 1, -1 do
    redis.call('LPUSH', open, skipped[i])
  end
  return found
end

-- Place on the first open worker, else on the fleet backlog. Returns the pid, or 0 for the backlog.
local function place_open_or_backlog(id, jobtype, candidates)
  local pid = take_open_worker(jobtype, candidates)
  if pid then
    redis.call('RPUSH', k_pending(pid), id)
    redis.call('HSET', k_worker(pid), 'state', 'busy')
    redis.call('PUBLISH', k_signals(pid), 'j')
    return tonumber(pid)
  end
  redis.call('RPUSH', k_backlog(), id)
  return 0
end

-- Taking ----------------------------------------------------------------------------------------

-- True when an id has the shape of a job id (JobIds): checked before the id is used in any command.
local function is_job_id(id)
  return #id <= S.maxId and string.match(id, '^[%w._:!-]+$') ~= nil
end

-- Checks an id just moved into a worker's in-flight list and counts its delivery (read: what the
-- caller read for it already, nil to read it here: rec, its record's text or false; size, its
-- entry's size; entry, the entry when within the limit). Returns true,
-- the entry and the attempt the worker reports when the worker is to run it; otherwise false, and
-- the id left the in-flight list and, when it was bad, went to the dead-letter list (the job
-- failed where a manager could be named). An entry in the shape EntryCodec writes, naming this id,
-- is not decoded here (the worker checks its signature and body); any other entry is.
local function admit(pid, id, read)
  local inflight = k_inflight(pid)
  if not is_job_id(id) then
    redis.call('LREM', inflight, '1', id)
    dead_letter(nil, 'not a job id (found on a list of worker ' .. pid .. ')', id)
    return false
  end
  local size = entry_size(id, read and read.size)
  if size == 0 then
    redis.call('LREM', inflight, '1', id)
    if not read_rec(id) then
      local why = 'job ' .. id .. ' has no entry and no record (never placed, or its record was trimmed)'
      dead_letter(id, why, nil)
      fail_job(id, {m = manager_of_id(id)}, 'failed', 'BAD_PAYLOAD', why, pid, 0)
    end
    -- Else a tombstone: the job was cancelled while queued, or already ended.
    return false
  end
  if size > S.maxEntry then
    -- Never read: deleted where it lies, so an oversized entry neither travels nor is copied.
    redis.call('LREM', inflight, '1', id)
    redis.call('HDEL', k_jobs(), id)
    local why = 'its entry is ' .. size .. ' bytes, over the limit of ' .. S.maxEntry
      .. ' (PP_MAX_PAYLOAD / pp.maxPayloadBytes)'
    dead_letter(id, why .. '; the entry was deleted unread', nil, size)
    fail_job(id, {m = manager_of_id(id)}, 'failed', 'BAD_PAYLOAD', 'job ' .. id .. ' was not run: ' .. why, pid, 0)
    return false
  end
  local entry = read and read.entry or redis.call('HGET', k_jobs(), id)
  local version, named = entry_head(entry)
  local job, why = nil, nil
  if not version or tonumber(version) ~= S.version or named ~= id then
    job, why = read_entry(entry)
  end
  if why or (job and job.id ~= id) then
    why = why or 'the entry names another job id'
    redis.call('LREM', inflight, '1', id)
    dead_letter(id, 'job ' .. id .. ' cannot be read: ' .. why, entry)
    fail_job(id, {m = manager_of_id(id)}, 'failed', 'BAD_PAYLOAD',
      'job ' .. id .. ' cannot be read: ' .. why .. '; place it again with a protocol-' .. S.version .. ' manager', pid, 0)
    return false
  end
  local r = read_rec(id, read and read.rec)
  if r and (ended(r.state) or r.state == 'running' or r.state == 'cancelling') then
    -- Ended, or already in another worker's hands (an id placed twice by a foreign writer).
    redis.call('LREM', inflight, '1', id)
    return false
  end
  local deliveries = (r and r.state ~= 'delayed' and r.deliveries or 0) + 1
  local attempts = r and r.attempts or 0
  -- A first delivery is within every limit (at least 1): only a redelivery needs the job's own.
  if deliveries > 1 and job == nil then job = read_entry(entry) or {} end
  if deliveries > delivery_limit(job) then
    redis.call('LREM', inflight, '1', id)
    local why2 = 'delivered ' .. (deliveries - 1) .. ' times without an outcome, its limit (each delivery ended'
      .. ' without one: the job kills or hangs its worker)'
    dead_letter(id, 'POISON: ' .. why2, entry)
    emit_event('DEAD', id, pid, job, nil)
    fail_job(id, job, 'failed', 'POISON', 'job ' .. id .. ' was ' .. why2 .. '; it is in the dead-letter list:'
      .. ' fix the job, then requeueDeadLetters() or purgeDeadLetters()', pid, deliveries - 1)
    return false
  end
  write_fields(id, 'running', pid, deliveries, attempts)
  emit_event('STARTED', id, pid, job or entry, nil)
  return true, entry, deliveries + attempts
end

-- Moves ids from the worker's pending list, else the backlog, into its in-flight list until it
-- holds batch of them (skipping at most S.skipMax tombstones and bad ids per call), then appends
-- 'more' (1 when it stopped at that bound: call again at once) and every id in flight with its
-- entry and delivery count: the worker runs those it does not hold. state: the worker's state as
-- the caller read it (nil: read here).
local function take_jobs(pid, batch, reply, state)
  local inflight = k_inflight(pid)
  local held = redis.call('LLEN', inflight)
  local room = batch - held
  local skipped = 0
  -- What admit gave each admitted id (a table, made with the first one).
  local admitted
  local pending_empty = false
  -- The records and entries of the ids a round moves are read in one HMGET each (each entry's size
  -- first: one over the limit is never loaded), and the admitted ones' records written in one HSET
  -- at the end (the batch, begun with the first round that moves ids, which also makes admit see
  -- its own writes). A take that finds both lists empty makes no table of its own.
  local batched = false
  while room > 0 and skipped <= S.skipMax do
    -- Up to room ids from the pending list, else the backlog, onto the in-flight list in order:
    -- one LPOP per list and one RPUSH. A round moves at most S.chunk ids, whatever batch the
    -- caller asked for (each stays in a Lua table and one RPUSH's arguments).
    local round = math.min(room, S.chunk)
    local moved = nil
    if not pending_empty then
      moved = redis.call('LPOP', k_pending(pid), num_text(round)) or nil
      if moved == nil or #moved < round then pending_empty = true end
    end
    local have = moved and #moved or 0
    if have < round then
      local extra = redis.call('LPOP', k_backlog(), num_text(round - have))
      if extra then
        if moved then
          for i = 1, #extra do moved[have + i] = extra[i] end
        else
          moved = extra
        end
      end
    end
    if moved == nil then break end
    if not batched then
      begin_batch()
      batched = true
    end
    redis.call('RPUSH', inflight, unpack(moved))
    local ids = {}
    for _, id in ipairs(moved) do
      if is_job_id(id) then ids[#ids + 1] = id end
    end
    -- What admit reads of each: its record and entry size, and the entries within the limit.
    local read, within = {}, {}
    local texts = rec_texts(ids)
    for i, id in ipairs(ids) do
      local size = entry_size(id)
      read[id] = {rec = texts[i], size = size}
      if size > 0 and size <= S.maxEntry then within[#within + 1] = id end
    end
    for i, entry in ipairs(hmget(k_jobs(), within)) do read[within[i]].entry = entry end
    for _, id in ipairs(moved) do
      local ok, entry, attempt = admit(pid, id, read[id])
      if ok then
        room = room - 1
        held = held + 1
        admitted = admitted or {}
        admitted[id] = {entry, attempt}
      else
        skipped = skipped + 1
      end
    end
  end
  if batched then end_batch() end
  local more = skipped > S.skipMax
  reply[#reply + 1] = more and 1 or 0
  -- admit removes what it refuses: 'held' is the list's length now.
  local ids = held > 0 and redis.call('LRANGE', inflight, '0', '-1') or {}
  for _, id in ipairs(ids) do
    reply[#reply + 1] = id
    local known = admitted and admitted[id]
    if known then
      reply[#reply + 1] = known[1]
      reply[#reply + 1] = known[2]
    else
      local r = read_rec(id)
      -- '' (as for a vanished entry) when it grew past the limit since it was admitted.
      reply[#reply + 1] = bounded_entry(id) or ''
      -- The attempt the worker reports: deliveries of this attempt plus the retries used before it.
      reply[#reply + 1] = r and (r.deliveries + r.attempts) or 0
    end
  end
  state = state or redis.call('HGET', k_worker(pid), 'state')
  if #ids > 0 then
    -- A worker that took from the backlog while idle is no longer open: placement must not pick it.
    if state == 'idle' then redis.call('LREM', k_open(), '0', pid) end
    redis.call('HSET', k_worker(pid), 'state', 'busy', 'job', ids[1])
  elseif state ~= 'idle' then
    -- Busy until now (take_jobs runs for idle and busy workers only). An idle worker has no 'job'
    -- field and is on 'open' once; a busy one is not on 'open' (every script that makes a worker
    -- busy takes it off), so it is pushed without looking.
    redis.call('HDEL', k_worker(pid), 'job')
    if not more then
      redis.call('HSET', k_worker(pid), 'state', 'idle')
      redis.call('RPUSH', k_open(), pid)
      RUN.openEmpty = false
    end
  end
  return reply
end

-- Re-homing -------------------------------------------------------------------------------------

-- Hands one id of a worker that is going on: returns 'moved', 'failed', 'poison', 'dead' or 'skipped'.
local function hand_on(pid, id, running, head, why)
  local entry, size = bounded_entry(id)
  local r = read_rec(id)
  if size == 0 then
    -- A tombstone (cancelled while queued) or an id without a job: nothing to hand on.
    return 'skipped'
  end
  local job = entry and read_entry(entry)
  if not job then
    local what = entry and 'unreadable entry' or ('entry of ' .. size .. ' bytes, over the limit of ' .. S.maxEntry)
    dead_letter(id, what .. ' (re-homed from worker ' .. pid .. ')', entry, size)
    redis.call('HDEL', k_jobs(), id)
    return 'dead'
  end
  if r and r.state == 'cancelling' then
    fail_job(id, job, 'cancelled', 'CANCELLED', 'job ' .. id .. ' was cancelled', pid, r.deliveries)
    return 'failed'
  end
  if job.pin == true then
    fail_job(id, job, 'failed', 'WORKER_LOST', 'pinned job lost its worker ' .. pid .. ' (' .. why
      .. '); pinned jobs never move to another worker', pid, r and r.deliveries or 0)
    return 'failed'
  end
  if running and r then
    if head and r.deliveries >= delivery_limit(job) then
      local why2 = 'delivered ' .. r.deliveries .. ' times without an outcome, its limit (each delivery'
        .. ' ended without one: the job kills or hangs its worker)'
      dead_letter(id, 'POISON: ' .. why2, entry)
      fail_job(id, job, 'failed', 'POISON', 'job ' .. id .. ' was ' .. why2 .. '; it is in the dead-letter'
        .. ' list: fix the job, then requeueDeadLetters() or purgeDeadLetters()', pid, r.deliveries)
      return 'poison'
    end
    r.state = 'queued'
    r.pid = ''
    if not head then r.deliveries = math.max(0, r.deliveries - 1) end
    write_rec(id, r)
  end
  place_open_or_backlog(id, job_type(job), '*')
  return 'moved'
end

-- Takes a worker out of the fleet and hands its jobs on in one bounded step (see close.lua).
-- Returns moved, failed, dead-lettered, poisoned, remaining queued ids.
local function rehome_worker(pid, include_inflight, new_state, why)
  local whash, pending, inflight = k_worker(pid), k_pending(pid), k_inflight(pid)
  if new_state ~= '' and redis.call('EXISTS', whash) == 1 and redis.call('HGET', whash, 'state') ~= new_state then
    redis.call('HSET', whash, 'state', new_state)
    redis.call('PUBLISH', k_signals(pid), 'x')
  end
  redis.call('LREM', k_open(), '0', pid)
  if new_state ~= 'closing' then
    if redis.call('ZREM', k_workers(), pid) == 1 then redis.call('PUBLISH', k_members(), '-' .. pid) end
    -- An ended worker's record and values are kept for diagnosis as long as a finished job's.
    if redis.call('EXISTS', whash) == 1 then redis.call('EXPIRE', whash, ST.jobTtl) end
  end
  local counts = {moved = 0, failed = 0, dead = 0, poison = 0, skipped = 0}
  if include_inflight then
    for i, id in ipairs(redis.call('LRANGE', inflight, 0, -1)) do
      local what = hand_on(pid, id, true, i == 1, why)
      counts[what] = counts[what] + 1
    end
    redis.call('DEL', inflight)
  end
  for _ = 1, S.chunk do
    local id = redis.call('LPOP', pending)
    if not id then break end
    local what = hand_on(pid, id, false, false, why)
    counts[what] = counts[what] + 1
  end
  local remaining = redis.call('LLEN', pending)
  if remaining > 0 then
    redis.call('SADD', k_orphans(), pid)
  else
    redis.call('SREM', k_orphans(), pid)
  end
  return counts.moved, counts.failed, counts.dead, counts.poison, remaining
end

-- Moves up to max delayed jobs that are due (score <= now) to an open worker or the backlog.
-- Returns how many moved.
local function promote_due(now, max)
  local due = redis.call('ZRANGEBYSCORE', k_delayed(), '-inf', now, 'LIMIT', 0, max)
  for _, id in ipairs(due) do
    redis.call('ZREM', k_delayed(), id)
    local entry, size = bounded_entry(id)
    if size > 0 then
      local r = read_rec(id)
      if r and r.state == 'delayed' then
        r.state = 'queued'
        write_rec(id, r)
      end
      -- An entry over the limit is not read here: the take that meets it dead-letters it.
      place_open_or_backlog(id, job_type(entry and read_entry(entry)), '*')
    end
  end
  return #due
end
