--[[
  trip: forces the breaker open and latches it (it never half-opens by itself; only reset clears it).

  KEYS, ARGV[1-11] and the reply: see includes/breaker-prelude.lua
  ARGV[12]  the reason
]]
--- @include "includes/breaker-prelude"
local reason = ARGV[12]
local record = load_record()
local previous_state = record.state
if record.state == 'open' then
  local next_record = copy(record)
  next_record.latched = true
  next_record.next_attempt_at = nil
  next_record.last_failure_reason = reason
  next_record.updated_at = now
  return finish(next_record, previous_state, nil, true, false, nil)
end
return finish(open(record, reason, nil, true), previous_state, 'opened', true, false, nil)
