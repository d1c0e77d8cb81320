--[[
  recordFailure: counts a failed call; opens the breaker at the failure threshold or failure rate, and
  reopens it from half_open.

  KEYS, ARGV[1-6] and the reply: see includes/breaker-prelude.lua, except the fast path's reply below
  ARGV[7]   the version of the record the caller holds ('' for none): see the fast path
  ARGV[8]   retryAfterMs (keeps an open breaker open at least that long), or ''
  ARGV[9]   the reason; absent when none was given

  Fast path reply: the new failure count, an integer. It means: the hash was at the caller's version, so the
  caller's record with this count, updated_at = now and this reason (when given) is the new record, at the
  next version.
]]

-- The common case first, before the prelude below is even set up (that costs more than this case's own work):
-- a failure on a closed breaker that stays closed (below the threshold, no failure-rate window) only counts.
-- It is applyFailure's last branch, written out with the fewest commands (three fields read, one write). When
-- the hash is still at the version of the record the caller holds, the caller has every other field already,
-- so the reply is the count alone. It is announced only when the count leaves zero: that is all another
-- instance decides on (a success on a clean closed breaker writes nothing), and their reads of the count may lag
-- it by their near-cache's bound, as after a lost announcement.
if ARGV[7] ~= '' and not string.find(ARGV[6], ';', 1, true) and redis.call('EXISTS', KEYS[1]) == 1 then
  local current = redis.call('HMGET', KEYS[2], 'state', 'failure_count', 'version')
  local failure_count = (tonumber(current[2]) or 0) + 1
  if current[1] == 'closed' and current[3] == ARGV[7] and failure_count < tonumber(ARGV[5]) then
    -- Numbers as they are: Redis writes an integral number as an integer.
    local version = tonumber(current[3]) + 1
    if ARGV[9] then
      redis.call('HSET', KEYS[2], 'failure_count', failure_count, 'updated_at', ARGV[4], 'version', version, 'last_failure_reason', ARGV[9])
    else
      redis.call('HSET', KEYS[2], 'failure_count', failure_count, 'updated_at', ARGV[4], 'version', version)
    end
    if failure_count == 1 then
      redis.call('PUBLISH', ARGV[2], ARGV[1] .. '\n' .. cjson.encode({ service = ARGV[3], transition = '' }))
    end
    return failure_count
  end
end

--- @include "includes/breaker-prelude"
if not state_is_set_up() then return STATE_LOST end
local reason = ARGV[9]
local retry_after_ms = optional_number(ARGV[8])
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
