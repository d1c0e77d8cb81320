--[[
  initialize: sets the store up when it holds no state (never set up, or lost by Redis), from the durable
  record core hands in: every service's queue written out (ACTIVE where nothing survived), the paused ones
  PAUSED with their reason (a queue that survived PAUSED keeps its first reason, as pause does). Then the
  state marker is set. When the marker is already there, nothing is written.

  KEYS[1-4]  queue_status, queue_status_reason, queue_status_updated_at, the state marker (see queue-pause.lua)
  ARGV[1]    origin (the store instance's tag)
  ARGV[2]    the pub/sub channel for queue changes
  ARGV[3]    now, ms since the epoch
  ARGV[4..]  per service: its name, '1' when paused (else '0'), its pause reason

  Reply: 1 when it set the store up, 0 when it was set up already.
  Publishes origin, a newline and { kind = 'queue', service, state = 'PAUSED', reason, updated_at } for each queue it pauses.
]]
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local origin, channel, now = ARGV[1], ARGV[2], ARGV[3]
for i = 4, #ARGV, 3 do
  local service, paused, reason = ARGV[i], ARGV[i + 1] == '1', ARGV[i + 2]
  local current = redis.call('HGET', KEYS[1], service)
  if paused and current ~= 'PAUSED' then
    redis.call('HSET', KEYS[1], service, 'PAUSED')
    redis.call('HSET', KEYS[2], service, reason)
    redis.call('HSET', KEYS[3], service, now)
    redis.call('PUBLISH', channel, origin .. '\n' .. cjson.encode({ kind = 'queue', service = service, state = 'PAUSED', reason = reason, updated_at = now }))
  elseif not current then
    -- Written out, so HGETALL queue_status lists every service.
    redis.call('HSET', KEYS[1], service, 'ACTIVE')
  end
end
redis.call('SET', KEYS[4], now)
return 1
