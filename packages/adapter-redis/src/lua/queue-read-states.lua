--[[
  getStates: the queue states of the services given, read in one step.

  KEYS[1-3]  queue_status, queue_status_reason, queue_status_updated_at (see queue-pause.lua)
  ARGV       the services

  Reply: { states, reasons, updated_ats }, each in the order given (false when absent).
]]
return { redis.call('HMGET', KEYS[1], unpack(ARGV)), redis.call('HMGET', KEYS[2], unpack(ARGV)), redis.call('HMGET', KEYS[3], unpack(ARGV)) }
