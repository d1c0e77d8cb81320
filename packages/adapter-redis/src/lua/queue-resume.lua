--[[
  resume: a service's queue PAUSED -> ACTIVE, announced in the same script.

  KEYS[1-4]  queue_status, queue_status_reason, queue_status_updated_at, the state marker (see queue-pause.lua)
  ARGV[1]    origin (the store instance's tag)
  ARGV[2]    the pub/sub channel for queue changes
  ARGV[3]    the service
  ARGV[4]    now, ms since the epoch

  Reply: { 'state_lost' } (nothing written) while the marker is absent;
         else { changed '1'/'0', 'ACTIVE', false, updated_at or false }
  Publishes origin, a newline and { kind = 'queue', service, state = 'ACTIVE', updated_at } when it changed.
]]
if redis.call('EXISTS', KEYS[4]) == 0 then return { 'state_lost' } end
local origin, channel, service, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('HGET', KEYS[1], service)
if current ~= 'PAUSED' then
  -- Never paused is ACTIVE already; written out so that HGETALL queue_status lists every service
  -- as ACTIVE after a resume, as the redis-cli check of docs/manual-resume.md expects. Not a change: nothing is announced.
  if not current then redis.call('HSET', KEYS[1], service, 'ACTIVE') end
  return { '0', 'ACTIVE', false, redis.call('HGET', KEYS[3], service) }
end
redis.call('HSET', KEYS[1], service, 'ACTIVE')
redis.call('HDEL', KEYS[2], service)
redis.call('HSET', KEYS[3], service, now)
redis.call('PUBLISH', channel, origin .. '\n' .. cjson.encode({ kind = 'queue', service = service, state = 'ACTIVE', updated_at = now }))
return { '1', 'ACTIVE', false, now }
