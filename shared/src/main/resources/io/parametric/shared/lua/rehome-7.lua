--[[
  Takes a worker out of the fleet (publishing '-<pid>' on the fleet's members channel when it
  leaves the live workers) and hands its jobs on: each queued (and, when asked, in-flight)
  job goes to an open worker or the fleet backlog, counted in the job hash field 'rehomed';
  pinned jobs fail with WORKER_LOST instead; an in-flight job that used up its deliveries fails
  with POISON (dead-letter list); a job being cancelled fails with CANCELLED; entries that are
  not jobs go to the dead-letter list. The work is lib.lua's rehome_worker, shared with reap-3.lua.
  KEYS document what is touched; the function derives the same keys from the prefix.
  Reaches the keys of the open workers and jobs it hands on to through lib.lua's k_* functions.
  Repeat-safe: a second call finds the worker's lists already empty.
  Input:
    KEYS[1] the worker's pending list
    KEYS[2] the worker's in-flight list
    KEYS[3] worker hash
    KEYS[4] live workers (sorted set)
    KEYS[5] open-worker list
    KEYS[6] backlog list
    KEYS[7] dead-letter list
    KEYS[8] orphans (set)
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] '1' to hand on the in-flight job too (the worker is dead), else '0'
    ARGV[4] the worker's new state: 'closing', 'closed' or 'dead'; '' to leave it as it is
    ARGV[5] reason for messages (e.g. 'closed', 'missed heartbeats')
  Output:
    {OK, moved, failed (pinned, poison or cancelled), dead_lettered, remaining}
  At most S.chunk queued jobs are handed on per call: while 'remaining' is above 0, call again
  (a worker out of the fleet with jobs left is in 'orphans', which the reaper finishes with
  ARGV[4] = '': hand on the next chunk, change nothing else).
]]
local moved, failed, dead, poisoned, remaining = rehome_worker(ARGV[2], ARGV[3] == '1', ARGV[4], ARGV[5])
return {CODE.OK, moved, failed + poisoned, dead, remaining}
