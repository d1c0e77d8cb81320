--[[
  recordFailure: counts a failed call; opens the breaker at the failure threshold or failure rate, and
  reopens it from half_open.

  KEYS, ARGV[1-2] and the reply: see includes/breaker-prelude.lua, except the fast path's reply below
  ARGV[3]   retryAfterMs (keeps an open breaker open at least that long), or ''
  ARGV[4]   for the fast path: the version of the record the caller holds, when by that record this failure
            only counts (the breaker closed, the count after it below the threshold, no failure-rate window);
            else ''
  ARGV[5]   with a version: the failure count after this failure ('' without one)
  ARGV[6]   with a version: the version after this failure ('' without one)
  ARGV[7]   the reason; absent when none was given

  Fast path reply: 1. It means: the hash was at the caller's version, so the caller's record with the count
  sent, updated_at = now and this reason (when given) is the new record, at the version sent.
]]

-- The common case first, before the prelude below is even set up (that costs more than this case's own work):
-- a failure that only counts. When the hash is still at the version of the record the caller holds, the hash
-- holds that record, so the caller could tell that this failure only counts and what the count and version
-- become: the script checks the version and writes (one field read, one write, values as sent: no number is
-- parsed or formatted here). It is announced only when the count leaves zero: that is all another instance
-- decides on (a success on a clean closed breaker writes nothing), and their reads of the count may lag it by
-- their near-cache's bound, as after a lost announcement.
if ARGV[4] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HGET', KEYS[2], 'version') == ARGV[4] then
  if ARGV[7] then
    redis.call('HSET', KEYS[2], 'failure_count', ARGV[5], 'updated_at', ARGV[1], 'version', ARGV[6], 'last_failure_reason', ARGV[7])
  else
    redis.call('HSET', KEYS[2], 'failure_count', ARGV[5], 'updated_at', ARGV[1], 'version', ARGV[6])
  end
  if ARGV[5] == '1' then
    local origin, channel, service = unpack(cjson.decode(ARGV[2]))
    redis.call('PUBLISH', channel, origin .. '\n' .. cjson.encode({ service = service, transition = '' }))
  end
  return 1
end

--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local reason = ARGV[7]
local retry_after_ms = optional_number(ARGV[3])
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
