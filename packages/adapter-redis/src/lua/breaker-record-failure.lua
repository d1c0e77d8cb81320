--[[
  recordFailure: counts a failed call; opens the breaker at the failure threshold or failure rate, and
  reopens it from half_open.

  KEYS, ARGV[1-11] and the reply: see includes/breaker-prelude.lua
  ARGV[12]  '1' when a reason was given, else '0'
  ARGV[13]  the reason
  ARGV[14]  retryAfterMs (keeps an open breaker open at least that long), or ''
]]
--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local reason = nil
if ARGV[12] == '1' then reason = ARGV[13] end
local retry_after_ms = optional_number(ARGV[14])
local record = load_record()
local previous_state = record.state
if record.state == 'open' then
  local next_record = copy(record)
  local retry_at = nil
  if retry_after_ms ~= nil and not record.latched then retry_at = now + retry_after_ms end
  if retry_at ~= nil and record.next_attempt_at ~= nil then next_record.next_attempt_at = math.max(record.next_attempt_at, retry_at) end
  next_record.failure_count = record.failure_count + 1
  if reason ~= nil then next_record.last_failure_reason = reason end
  next_record.updated_at = now
  return finish(next_record, previous_state, nil, true, false, nil)
end
if record.state == 'half_open' then
  local counted = copy(record)
  counted.failure_count = record.failure_count + 1
  return finish(open(counted, reason, retry_after_ms, false), previous_state, 'opened', true, false, nil)
end
local counted = copy(record)
counted.failure_count = record.failure_count + 1
counted.updated_at = now
counted = count_in_window(counted, true)
if counted.failure_count >= policy.failure_threshold or failure_rate_exceeded(counted) then
  return finish(open(counted, reason, retry_after_ms, false), previous_state, 'opened', true, false, nil)
end
if reason ~= nil then counted.last_failure_reason = reason end
return finish(counted, previous_state, nil, true, false, nil)
