--[[
  recordFailure: counts a failed call; opens the breaker at the failure threshold or failure rate, and
  reopens it from half_open.

  KEYS, ARGV[1-11] and the reply: see includes/breaker-prelude.lua
  ARGV[12]  '1' when a reason was given, else '0'
  ARGV[13]  the reason
  ARGV[14]  retryAfterMs (keeps an open breaker open at least that long), or ''
]]

-- The common case first, before the prelude below is even set up (that costs more than this case's own work):
-- a failure on a closed breaker that stays closed (below the threshold, no failure-rate window) only counts.
-- It is applyFailure's last branch as the general path below runs it, written out with the fewest commands (one
-- read of every field, one write), and answers the same. It is announced only when the count leaves zero: that is
-- all another instance decides on (a success on a clean closed breaker writes nothing), and their reads of the
-- count may lag it by their near-cache's bound, as after a lost announcement.
if ARGV[9] == '' and redis.call('EXISTS', KEYS[1]) == 1 then
  -- The prelude's FIELDS, in its order: the reply lists the values so (false for an absent field).
  local values = redis.call('HMGET', KEYS[2], 'state', 'failure_count', 'success_count', 'opened_at', 'next_attempt_at',
    'last_failure_reason', 'trip_count', 'latched', 'probes_in_flight', 'window_started_at', 'window_requests',
    'window_failures', 'updated_at')
  local failure_count = (tonumber(values[2]) or 0) + 1
  if values[1] == 'closed' and failure_count < tonumber(ARGV[5]) then
    values[2] = string.format('%d', failure_count)
    values[13] = ARGV[4]
    if ARGV[12] == '1' then
      values[6] = ARGV[13]
      redis.call('HSET', KEYS[2], 'failure_count', values[2], 'updated_at', ARGV[4], 'last_failure_reason', ARGV[13])
    else
      redis.call('HSET', KEYS[2], 'failure_count', values[2], 'updated_at', ARGV[4])
    end
    if failure_count == 1 then
      redis.call('PUBLISH', ARGV[2], ARGV[1] .. '\n' .. cjson.encode({ service = ARGV[3], transition = '' }))
    end
    return cjson.encode({ 'closed', '', '0', '', '1', unpack(values) })
  end
end

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
