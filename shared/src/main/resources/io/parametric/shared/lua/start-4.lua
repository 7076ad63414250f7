--[[
  Marks a fetched job as running on this worker and counts the delivery. A job delivered more
  times than its limit (payload field maxDeliveries, default 3, the first delivery included) is
  poison: it goes to the dead-letter list with the reason, its job hash fails with POISON and its
  manager is notified, so no waiter hangs.
  Reaches the completion lists of the job's manager and watchers through lib.lua's k_* functions.
  Input:
    KEYS[1] job hash
    KEYS[2] worker hash
    KEYS[3] the worker's in-flight list
    KEYS[4] dead-letter list
    ARGV[1] settings (see lib.lua)
    ARGV[2] pid
    ARGV[3] payload (the exact in-flight entry)
    ARGV[4] job id
    ARGV[5] dead-letter entry to use when the job hash is missing
  Output:
    {OK, deliveries}  run it; deliveries counts this one
    {NO_JOB}          no job hash: a dead-letter entry was written and, when the entry names its
                     manager, the job failed with BAD_PAYLOAD there; do not run it
    {NOT_RUNNABLE}    the job was cancelled while queued, or already has an outcome: do not run it
    {POISON, deliveries} poison: over its delivery limit; dead-lettered and failed with POISON; do not run it
  On NO_JOB, NOT_RUNNABLE and POISON the entry stays in the in-flight list: the worker drops it with finish-8.lua
  (no outcome), which also takes its next backlog job or reopens it, as after any job.
]]
local code, deliveries = start_entry(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return {code, deliveries}
