--[[
  Takes a worker out of the fleet (or marks it closing) and hands its jobs on, in bounded steps:
  its in-flight ids (at most its take batch) and up to S.chunk queued ids per call go to open
  workers or the backlog; pinned jobs fail with WORKER_LOST; an in-flight job being cancelled
  fails with CANCELLED; the first in-flight job of a dead worker that used up its deliveries is
  poison; the other in-flight ids (taken in a batch, never started) get their delivery back.
  While queued ids remain the worker stays in 'orphans' and the caller calls again.
  Repeat-safe: a repeated call hands on the next chunk, if any.
  Input:
    KEYS[1] the worker's pending list
    KEYS[2] the worker's in-flight list
    KEYS[3] worker record
    KEYS[4] live workers (sorted set)
    KEYS[5] open-worker list
    KEYS[6] orphans (set)
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] '1' to hand on the in-flight jobs too (the worker is dead or gone), else '0'
    ARGV[4] the worker's new state: 'closing', 'closed' or 'dead'
    ARGV[5] why, for messages (e.g. 'closed by its manager')
  Reaches the keys of jobs, open workers and managers through lib.lua.
  Output:
    {OK, moved, failed, dead_lettered, poisoned, remaining}  remaining: queued ids still to hand on (call again)
]]
local moved, failed, dead, poisoned, remaining = rehome_worker(ARGV[2], ARGV[3] == '1', ARGV[4], ARGV[5])
return {CODE.OK, moved, failed, dead, poisoned, remaining}
