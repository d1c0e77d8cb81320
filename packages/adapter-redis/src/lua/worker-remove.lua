--[[
  WorkerRegistry.remove: forgets a worker that stopped.

  KEYS[1]  breakwater:workers         hash, field per worker id
  KEYS[2]  breakwater:workers_expiry  sorted set, member per worker id
  ARGV[1]  the worker id

  Reply: 1 when it was listed, 0 otherwise.
]]
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])
