--[[
  Shared by every breaker script (included first): reads the common KEYS and ARGV, and defines the
  record's load/encode/finish and the transition helpers. Every function mirrors its namesake in core's
  breaker-transitions.ts line for line; that file is the reference, and the contract suite plus a
  randomized comparison (test/breaker-scripts-match-core.test.ts) hold these scripts to it.

  KEYS[1]   the store's state marker (breakwater:circuit_breaker_state): set by initialize; absent when the
            store was never set up or Redis lost its state (restarted empty, flushed, failed over too early)
  KEYS[2]   the breaker hash (circuit_breaker:<service>)
  ARGV[1]   now, ms since the epoch
  ARGV[2]   the rest of what every script needs, in one JSON array: [ origin, channel, service, policy ]
              origin    the store instance's tag, announced so it can ignore its own changes
              channel   the pub/sub channel for breaker changes
              service   the breaker's service
              policy    [ failureThreshold, resetTimeoutMs, halfOpenMaxProbes, successThreshold ], followed by
                        threshold, minimumRequests, windowMs when it has a failure-rate window; [] for an operation
                        without a policy
  ARGV[3-]  the operation's own arguments (see each script)
  Every argument costs on every call, on both sides: one JSON argument instead of five costs less, and the
  failure fast path, which needs none of it, never decodes it.

  Every operation script first answers STATE_LOST ({ 'state_lost' }) and writes nothing while the marker is
  absent; otherwise it returns finish(...), a JSON array:
    [ previousState, transition or '', allowed '1'/'0', reason or '', stored '1'/'0', version, value, ... ]
  where stored says whether the breaker's hash exists (a breaker never written reads as closed), version is
  the hash's version after the script, and the values are the new record's, one per FIELDS entry in that
  order, false for a null field (no field names: the reply is built, sent and decoded on every failure).
  Every write publishes its announcement on the channel in the same script, so no change goes unannounced:
  the origin, a newline, then the JSON { service, transition, record }, with the record only when there is a
  transition.

  The hash's `version` field counts its writes: every script that writes the hash adds one, so a record an
  instance holds with its version is known to be the current one when the version still matches (see
  breaker-record-failure.lua's fast path). A hash without it (written before versions) matches none.
]]
local marker, key = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local origin, channel, service, numbers = unpack(cjson.decode(ARGV[2]))
local policy = { failure_threshold = numbers[1], reset_timeout_ms = numbers[2], half_open_max_probes = numbers[3],
  success_threshold = numbers[4] }
if numbers[5] then policy.rate = { threshold = numbers[5], minimum_requests = numbers[6], window_ms = numbers[7] } end

local STATE_LOST = { 'state_lost' }

local function state_is_set_up()
  return redis.call('EXISTS', marker) == 1
end

local FIELDS = { 'state', 'failure_count', 'success_count', 'opened_at', 'next_attempt_at', 'last_failure_reason',
  'trip_count', 'latched', 'probes_in_flight', 'window_started_at', 'window_requests', 'window_failures', 'updated_at' }

local function optional_number(value)
  if value == nil or value == '' then return nil end
  return tonumber(value)
end

local function copy(record)
  local result = {}
  for field, value in pairs(record) do result[field] = value end
  return result
end

local function closed_record()
  return { state = 'closed', failure_count = 0, success_count = 0, trip_count = 0, latched = false,
    probes_in_flight = 0, window_requests = 0, window_failures = 0, updated_at = now }
end

-- What load_record found: whether the hash exists, and its version (0 when it has none).
local existed = false
local loaded_version = 0

local function load_record()
  local raw = redis.call('HGETALL', key)
  loaded_version = 0
  if #raw == 0 then return closed_record() end
  existed = true
  local hash = {}
  for i = 1, #raw, 2 do hash[raw[i]] = raw[i + 1] end
  loaded_version = optional_number(hash.version) or 0
  return {
    state = hash.state or 'closed',
    failure_count = optional_number(hash.failure_count) or 0,
    success_count = optional_number(hash.success_count) or 0,
    opened_at = optional_number(hash.opened_at),
    next_attempt_at = optional_number(hash.next_attempt_at),
    last_failure_reason = hash.last_failure_reason,
    trip_count = optional_number(hash.trip_count) or 0,
    latched = hash.latched == 'true',
    probes_in_flight = optional_number(hash.probes_in_flight) or 0,
    window_started_at = optional_number(hash.window_started_at),
    window_requests = optional_number(hash.window_requests) or 0,
    window_failures = optional_number(hash.window_failures) or 0,
    updated_at = optional_number(hash.updated_at) or now,
  }
end

-- Integers as integers (tostring would switch to exponent notation past 14 digits).
local function format_number(value)
  if value == math.floor(value) and value > -1e15 and value < 1e15 then return string.format('%d', value) end
  return string.format('%.17g', value)
end

-- The record as HSET arguments (flat), the null fields (absent), and its values in FIELDS order (false when null).
local function encode(record)
  local flat, absent, values = {}, {}, {}
  for i, field in ipairs(FIELDS) do
    local value = record[field]
    if value == nil then
      absent[#absent + 1] = field
      values[i] = false
    else
      if type(value) == 'number' then value = format_number(value)
      elseif type(value) == 'boolean' then value = value and 'true' or 'false' end
      flat[#flat + 1] = field
      flat[#flat + 1] = value
      values[i] = value
    end
  end
  return flat, absent, values
end

-- The announcement of a write: the origin on a line of its own (an instance skips its own without decoding them),
-- then { service, transition, record }; the record only with a transition (the others just drop what they knew).
local function announce(transition, flat)
  local change = { service = service, transition = transition or '' }
  if transition then
    local announced = {}
    for i = 1, #flat, 2 do announced[flat[i]] = flat[i + 1] end
    change.record = announced
  end
  redis.call('PUBLISH', channel, origin .. '\n' .. cjson.encode(change))
end

local function finish(record, previous_state, transition, changed, allowed, reason)
  local flat, absent, values = encode(record)
  local version = loaded_version
  if changed then
    -- Counted from the version loaded, never from the record given: a reset starts from a fresh closed record.
    version = loaded_version + 1
    redis.call('HSET', key, 'version', format_number(version), unpack(flat))
    if #absent > 0 then redis.call('HDEL', key, unpack(absent)) end
    announce(transition, flat)
  end
  -- One string: a reply of many short strings costs more to send and read than the work of the script.
  return cjson.encode({ previous_state, transition or '', allowed and '1' or '0', reason or '', (changed or existed) and '1' or '0',
    format_number(version), unpack(values) })
end

local function open(record, reason, retry_after_ms, latched)
  local hold_ms = policy.reset_timeout_ms
  if retry_after_ms ~= nil and retry_after_ms > hold_ms then hold_ms = retry_after_ms end
  local next_record = copy(record)
  next_record.state = 'open'
  next_record.opened_at = now
  if latched then next_record.next_attempt_at = nil else next_record.next_attempt_at = now + hold_ms end
  if reason ~= nil then next_record.last_failure_reason = reason end
  next_record.trip_count = record.trip_count + 1
  next_record.latched = latched
  next_record.success_count = 0
  next_record.probes_in_flight = 0
  next_record.updated_at = now
  return next_record
end

local function count_in_window(record, failed)
  local window = policy.rate
  if window == nil then return record end
  local next_record = copy(record)
  local failures = failed and 1 or 0
  if record.window_started_at == nil or now - record.window_started_at >= window.window_ms then
    next_record.window_started_at = now
    next_record.window_requests = 1
    next_record.window_failures = failures
  else
    next_record.window_requests = record.window_requests + 1
    next_record.window_failures = record.window_failures + failures
  end
  return next_record
end

local function failure_rate_exceeded(record)
  local window = policy.rate
  if window == nil or record.window_requests < window.minimum_requests then return false end
  return record.window_failures / record.window_requests >= window.threshold
end

local function success_is_noop(record)
  return (record.state == 'closed' and record.failure_count == 0 and policy.rate == nil) or record.state == 'open'
end

-- trip's rule (applyTrip): forced open and latched; an open breaker is latched where it stands.
local function trip_record(record, reason)
  if record.state == 'open' then
    local next_record = copy(record)
    next_record.latched = true
    next_record.next_attempt_at = nil
    next_record.last_failure_reason = reason
    next_record.updated_at = now
    return next_record, nil
  end
  return open(record, reason, nil, true), 'opened'
end
