--[[
  recordSuccess: resets the failure count when closed; counts a probe's success when half_open and
  closes the breaker at the success threshold. A no-op (nothing written) when nothing would change.

  KEYS, ARGV[1-2] and the reply: see includes/breaker-prelude.lua (no arguments of its own)
]]
--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local record = load_record()
local previous_state = record.state
if success_is_noop(record) then return finish(record, previous_state, nil, false, false, nil) end
if record.state == 'half_open' then
  local success_count = record.success_count + 1
  if success_count >= policy.success_threshold then
    local closed = closed_record()
    closed.trip_count = record.trip_count
    closed.last_failure_reason = record.last_failure_reason
    return finish(closed, previous_state, 'closed', true, false, nil)
  end
  local next_record = copy(record)
  next_record.success_count = success_count
  next_record.probes_in_flight = math.max(0, record.probes_in_flight - 1)
  next_record.updated_at = now
  return finish(next_record, previous_state, nil, true, false, nil)
end
local next_record = copy(record)
next_record.failure_count = 0
next_record.updated_at = now
return finish(count_in_window(next_record, false), previous_state, nil, true, false, nil)
