--[[
  Test only (LibMirrorIT): every key lib.lua builds, with the placeholders of FleetKeyPatterns,
  then every return code as 'NAME=n', so a test can compare them with FleetKeys and ScriptCode.
  Input:
    ARGV[1] settings (see lib.lua)
]]
local codes = {}
for name, n in pairs(CODE) do codes[#codes + 1] = name .. '=' .. n end
return {
  k_pids(), k_workers(), k_open(), k_backlog(), k_delayed(), k_dead(), k_reaper(), k_runid(), k_stale(), k_orphans(),
  k_worker('<pid>'), k_pending('<pid>'), k_inflight('<pid>'), k_signals('<pid>'), k_value('<name>'),
  k_worker_value('<pid>', '<name>'), k_done('<manager>'), k_minute('<n>'), k_events(), k_listening(),
  k_proto(), k_settings(), k_jobs(), k_fn(), k_rec(), k_fin(), k_keys(), k_watch(), k_members(),
  table.concat(codes, ',')}
