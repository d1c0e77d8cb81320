--[[
  reset: closes the breaker and zeroes its counts, keeping trip_count. Resumes nothing.

  KEYS, ARGV[1-2] and the reply: see includes/breaker-prelude.lua (no arguments of its own)
]]
--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local record = load_record()
local closed = closed_record()
closed.trip_count = record.trip_count
return finish(closed, record.state, 'reset', true, false, nil)
