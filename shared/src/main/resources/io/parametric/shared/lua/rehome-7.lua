--[[
  Takes a worker out of the fleet and hands its jobs on: each queued (and, when asked, in-flight)
  job goes to an open worker or the fleet backlog, counted in the job hash field 'rehomed';
  pinned jobs fail with WORKER_LOST instead; an in-flight job that used up its deliveries fails
  with POISON (dead-letter list); a job being cancelled fails with CANCELLED; entries that are
  not jobs go to the dead-letter list. The work is lib.lua's rehome_worker, shared with reap-3.lua.
  KEYS document what is touched; the function derives the same keys from the prefix.
  Reaches worker keys it discovers from the fleet prefix (see lib.lua, wkey).
  Input:
    KEYS[1] the worker's pending list
    KEYS[2] the worker's in-flight list
    KEYS[3] worker hash
    KEYS[4] live workers (sorted set)
    KEYS[5] open-worker list
    KEYS[6] backlog list
    KEYS[7] dead-letter list
    ARGV[1] fleet prefix
    ARGV[2] pid
    ARGV[3] '1' to hand on the in-flight job too (the worker is dead), else '0'
    ARGV[4] the worker's new state: 'closing', 'closed' or 'dead'
    ARGV[5] job hash TTL after an outcome, seconds
    ARGV[6] reason for messages (e.g. 'closed', 'missed heartbeats')
  Output:
    {moved, failed (pinned, poison or cancelled), dead_lettered}
]]
local moved, failed, dead, poisoned = rehome_worker(ARGV[1], ARGV[2], ARGV[3] == '1', ARGV[4], tonumber(ARGV[5]), ARGV[6])
return {moved, failed + poisoned, dead}
