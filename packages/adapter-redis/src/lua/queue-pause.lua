--[[
  pause: a service's queue ACTIVE (or never paused) -> PAUSED, announced in the same script.

  KEYS[1]  queue_status             (hash: service -> ACTIVE / PAUSED)
  KEYS[2]  queue_status_reason      (hash: service -> why it is paused)
  KEYS[3]  queue_status_updated_at  (hash: service -> ms since the epoch)
  KEYS[4]  the state marker (breakwater:queue_state): set by initialize; absent when the store was never
           set up or Redis lost its state
  ARGV[1]  origin (the store instance's tag)
  ARGV[2]  the pub/sub channel for queue changes
  ARGV[3]  the service
  ARGV[4]  the reason
  ARGV[5]  now, ms since the epoch

  Reply: { 'state_lost' } (nothing written) while the marker is absent;
         else { changed '1'/'0', 'PAUSED', reason, updated_at }
  Publishes origin, a newline and { kind = 'queue', service, state = 'PAUSED', reason, updated_at } when it changed.
]]
if redis.call('EXISTS', KEYS[4]) == 0 then return { 'state_lost' } end
local origin, channel, service, reason, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', KEYS[1], service) == 'PAUSED' then
  return { '0', 'PAUSED', redis.call('HGET', KEYS[2], service), redis.call('HGET', KEYS[3], service) }
end
redis.call('HSET', KEYS[1], service, 'PAUSED')
redis.call('HSET', KEYS[2], service, reason)
redis.call('HSET', KEYS[3], service, now)
redis.call('PUBLISH', channel, origin .. '\n' .. cjson.encode({ kind = 'queue', service = service, state = 'PAUSED', reason = reason, updated_at = now }))
return { '1', 'PAUSED', reason, now }
