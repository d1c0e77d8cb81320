--[[
  initialize: sets the store up when it holds no state (never set up, or lost by Redis), from the durable
  record core hands in: every service's breaker written out (closed with zero counts where none survived),
  the paused ones forced open and latched with their reason, as trip does (core's applyRestore). Then the
  state marker is set. When the marker is already there, nothing is written.

  KEYS[1]      the state marker (see includes/breaker-prelude.lua)
  KEYS[2..n+1] the services' breaker hashes
  ARGV[1-2]    as every breaker script (see includes/breaker-prelude.lua); the service and the policy in
               ARGV[2] are unused
  ARGV[3..]    per service, in the order of KEYS[2..]: its name, '1' when paused (else '0'), its pause reason

  Reply: 1 when it set the store up, 0 when it was set up already.
  Each breaker it writes is announced as the other scripts announce theirs.
]]
--- @include "includes/breaker-prelude"
if state_is_set_up() then return 0 end
for i = 2, #KEYS do
  key = KEYS[i]
  local first = 3 + 3 * (i - 2)
  service = ARGV[first]
  local paused, reason = ARGV[first + 1] == '1', ARGV[first + 2]
  existed = false
  local record = load_record()
  if paused then
    local next_record, transition = trip_record(record, reason)
    finish(next_record, record.state, transition, true, false, nil)
  elseif not existed then
    -- Written out, so HGETALL circuit_breaker:<service> reads state closed, failure_count 0.
    finish(record, record.state, nil, true, false, nil)
  end
end
redis.call('SET', marker, tostring(now))
return 1
