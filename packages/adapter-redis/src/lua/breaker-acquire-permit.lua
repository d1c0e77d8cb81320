--[[
  acquirePermit: may a call go through now? Closed: yes. Open: no, until the reset timeout has passed,
  then the breaker half-opens and this call is its first probe. Half-open: yes while fewer than
  halfOpenMaxProbes probes are out.

  KEYS, ARGV[1-2] and the reply: see includes/breaker-prelude.lua (no arguments of its own); the reply's
  allowed and reason ('open' / 'half_open') are the answer.
]]
--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local record = load_record()
local previous_state = record.state
if record.state == 'closed' then return finish(record, previous_state, nil, false, true, nil) end
if record.state == 'open' then
  if record.latched or record.next_attempt_at == nil or now < record.next_attempt_at then
    return finish(record, previous_state, nil, false, false, 'open')
  end
  local next_record = copy(record)
  next_record.state = 'half_open'
  next_record.success_count = 0
  next_record.probes_in_flight = 1
  next_record.next_attempt_at = now + policy.reset_timeout_ms
  next_record.updated_at = now
  return finish(next_record, previous_state, 'half_opened', true, true, nil)
end
if record.probes_in_flight < policy.half_open_max_probes then
  local next_record = copy(record)
  next_record.probes_in_flight = record.probes_in_flight + 1
  next_record.updated_at = now
  return finish(next_record, previous_state, nil, true, true, nil)
end
if record.next_attempt_at ~= nil and now >= record.next_attempt_at then
  -- The probes handed out never answered (their callers died): hand out fresh ones.
  local next_record = copy(record)
  next_record.probes_in_flight = 1
  next_record.next_attempt_at = now + policy.reset_timeout_ms
  next_record.updated_at = now
  return finish(next_record, previous_state, nil, true, true, nil)
end
return finish(record, previous_state, nil, false, false, 'half_open')
