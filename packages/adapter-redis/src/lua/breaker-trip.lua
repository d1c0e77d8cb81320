--[[
  trip: forces the breaker open and latches it (it never half-opens by itself; only reset clears it).

  KEYS, ARGV[1-2] and the reply: see includes/breaker-prelude.lua
  ARGV[3]   the reason
]]
--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local reason = ARGV[3]
local record = load_record()
local next_record, transition = trip_record(record, reason)
return finish(next_record, record.state, transition, true, false, nil)
