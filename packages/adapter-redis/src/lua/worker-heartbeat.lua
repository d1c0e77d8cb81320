--[[
  WorkerRegistry.beat: records a worker's heartbeat and when it goes stale, on the server's clock (workers on
  other hosts may keep other times), in one step.

  KEYS[1]  breakwater:workers         hash, field per worker id: the heartbeat, JSON
  KEYS[2]  breakwater:workers_expiry  sorted set, member per worker id: when it goes stale (ms, server time)
  ARGV[1]  the worker id
  ARGV[2]  the heartbeat, JSON
  ARGV[3]  ttl, ms

  Reply: 1
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
return 1
