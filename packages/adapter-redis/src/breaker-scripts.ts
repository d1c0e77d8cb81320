/**
 * The breaker's rules in Lua: each store operation is one script, so a transition is one indivisible
 * step however many processes share the breaker. Every function mirrors its namesake in core's
 * `breaker-transitions.ts` line for line; that file is the reference and the contract suite (plus a
 * randomized comparison in test/) holds these scripts to it.
 *
 * KEYS[1] the breaker hash. ARGV: 1 origin (store instance id), 2 channel, 3 service, 4 now,
 * 5–8 failureThreshold, resetTimeoutMs, halfOpenMaxProbes, successThreshold,
 * 9–11 failureRate threshold, minimumRequests, windowMs ('' when the policy has no window),
 * then the operation's own arguments from ARGV[12].
 *
 * Reply: { previousState, transition or '', allowed '1'/'0', reason or '', stored '1'/'0', field, value, … }
 * where stored says whether the breaker's hash exists (a breaker never written reads as closed) and the
 * field/value pairs are the new record (null fields absent). Every write publishes
 * { origin, service, transition, record } on the channel, in the same script, so no change goes unannounced.
 */
import { LuaScript } from './lua-script.js';

const PRELUDE = `
local key = KEYS[1]
local origin, channel, service = ARGV[1], ARGV[2], ARGV[3]
local now = tonumber(ARGV[4])
local policy = {
  failure_threshold = tonumber(ARGV[5]),
  reset_timeout_ms = tonumber(ARGV[6]),
  half_open_max_probes = tonumber(ARGV[7]),
  success_threshold = tonumber(ARGV[8]),
}
if ARGV[9] ~= '' then
  policy.rate = { threshold = tonumber(ARGV[9]), minimum_requests = tonumber(ARGV[10]), window_ms = tonumber(ARGV[11]) }
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

local existed = false

local function load_record()
  local raw = redis.call('HGETALL', key)
  if #raw == 0 then return closed_record() end
  existed = true
  local hash = {}
  for i = 1, #raw, 2 do hash[raw[i]] = raw[i + 1] end
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

local function encode(record)
  local flat, absent = {}, {}
  for _, field in ipairs(FIELDS) do
    local value = record[field]
    if value == nil then
      absent[#absent + 1] = field
    else
      if type(value) == 'number' then value = format_number(value)
      elseif type(value) == 'boolean' then value = value and 'true' or 'false' end
      flat[#flat + 1] = field
      flat[#flat + 1] = value
    end
  end
  return flat, absent
end

local function finish(record, previous_state, transition, changed, allowed, reason)
  local flat, absent = encode(record)
  if changed then
    redis.call('HSET', key, unpack(flat))
    if #absent > 0 then redis.call('HDEL', key, unpack(absent)) end
    local announced = {}
    for i = 1, #flat, 2 do announced[flat[i]] = flat[i + 1] end
    redis.call('PUBLISH', channel, cjson.encode({ origin = origin, service = service, transition = transition or '', record = announced }))
  end
  local reply = { previous_state, transition or '', allowed and '1' or '0', reason or '', (changed or existed) and '1' or '0' }
  for i = 1, #flat do reply[#reply + 1] = flat[i] end
  return reply
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
`;

/** ARGV[12] '1' when a reason was given, ARGV[13] the reason, ARGV[14] retryAfterMs or ''. */
const RECORD_FAILURE = `
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
`;

const RECORD_SUCCESS = `
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
`;

const ACQUIRE_PERMIT = `
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
`;

/** ARGV[12] the reason. */
const TRIP = `
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
`;

const RESET = `
local record = load_record()
local closed = closed_record()
closed.trip_count = record.trip_count
return finish(closed, record.state, 'reset', true, false, nil)
`;

export const breakerScripts = {
  recordFailure: new LuaScript(PRELUDE + RECORD_FAILURE),
  recordSuccess: new LuaScript(PRELUDE + RECORD_SUCCESS),
  acquirePermit: new LuaScript(PRELUDE + ACQUIRE_PERMIT),
  trip: new LuaScript(PRELUDE + TRIP),
  reset: new LuaScript(PRELUDE + RESET),
} as const;
