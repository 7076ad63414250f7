--[[
  A worker takes jobs: moves ids from its pending list, else the fleet backlog, into its in-flight
  list until it holds 'batch' of them. Each id is checked inside Redis before its entry travels:
  not an id, no entry (a tombstone: cancelled while queued), an entry over the size limit
  (HSTRLEN), of another protocol version, not naming this id, or (when not in EntryCodec's shape)
  unreadable -> dead-lettered (truncated copy, size, SHA-1) and failed where a manager can be
  named; over its delivery limit -> poison. Otherwise its delivery is counted (record 'running');
  the worker checks the entry's signature and body before it runs anything. See lib.lua,
  take_jobs and admit.
  A worker calls it when woken (a 'j' message on its channel), every few seconds when idle, and
  after a resync; the in-flight list is returned whole, so a reply lost in transit loses nothing.
  Repeat-safe: it only moves ids into this worker's in-flight list, which it returns whole.
  Input:
    KEYS[1] the worker's in-flight list
    KEYS[2] the worker's pending list
    KEYS[3] worker record
    KEYS[4] open-worker list
    KEYS[5] backlog list
    KEYS[6] live workers (sorted set)
    KEYS[7] entries (hash)
    KEYS[8] records (hash)
    KEYS[9] dead-letter list
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] batch: how many jobs the worker holds at most
  Reaches the completion lists of managers (outcomes of refused jobs) through lib.lua.
  Output:
    {OK, more, id, entry, deliveries, ...}  every id in flight (possibly none); more = 1: skipped
                                            its bound of bad ids and tombstones, call again
    {GONE}                            the worker is not live (closed, closing, reaped)
]]
local pid = ARGV[2]
local state = redis.call('HGET', KEYS[3], 'state')
if (state ~= 'idle' and state ~= 'busy') or redis.call('ZSCORE', KEYS[6], pid) == false then
  return {CODE.GONE}
end
return take_jobs(pid, tonumber(ARGV[3]), {CODE.OK}, state)
