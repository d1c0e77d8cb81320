--[[
  WorkerRegistry.list: drops the workers whose heartbeat went stale (server time), then answers the others.

  KEYS[1]  breakwater:workers         hash, field per worker id: the heartbeat, JSON
  KEYS[2]  breakwater:workers_expiry  sorted set, member per worker id: when it goes stale (ms, server time)
  ARGV     none

  Reply: the live heartbeats, JSON, in no particular order.
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(stale) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
return redis.call('HVALS', KEYS[1])
