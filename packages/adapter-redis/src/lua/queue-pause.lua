--[[
  pause: a service's queue ACTIVE (or never paused) -> PAUSED, announced in the same script.

  KEYS[1]  queue_status             (hash: service -> ACTIVE / PAUSED)
  KEYS[2]  queue_status_reason      (hash: service -> why it is paused)
  KEYS[3]  queue_status_updated_at  (hash: service -> ms since the epoch)
  ARGV[1]  origin (the store instance's tag)
  ARGV[2]  the pub/sub channel for queue changes
  ARGV[3]  the service
  ARGV[4]  the reason
  ARGV[5]  now, ms since the epoch

  Reply: { changed '1'/'0', 'PAUSED', reason, updated_at }
  Publishes { origin, kind = 'queue', service, state = 'PAUSED', reason, updated_at } when it changed.
]]
local origin, channel, service, reason, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', KEYS[1], service) == 'PAUSED' then
  return { '0', 'PAUSED', redis.call('HGET', KEYS[2], service), redis.call('HGET', KEYS[3], service) }
end
redis.call('HSET', KEYS[1], service, 'PAUSED')
redis.call('HSET', KEYS[2], service, reason)
redis.call('HSET', KEYS[3], service, now)
redis.call('PUBLISH', channel, cjson.encode({ origin = origin, kind = 'queue', service = service, state = 'PAUSED', reason = reason, updated_at = now }))
return { '1', 'PAUSED', reason, now }
