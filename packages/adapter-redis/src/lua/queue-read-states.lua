--[[
  getStates: the queue states of the services given, read in one step.

  KEYS[1-4]  queue_status, queue_status_reason, queue_status_updated_at, the state marker (see queue-pause.lua)
  ARGV       the services

  Reply: { 'state_lost' } while the marker is absent (a store that lost its state is never read as
         "every queue ACTIVE"); else { states, reasons, updated_ats }, each in the order given (false when absent).
]]
if redis.call('EXISTS', KEYS[4]) == 0 then return { 'state_lost' } end
return { redis.call('HMGET', KEYS[1], unpack(ARGV)), redis.call('HMGET', KEYS[2], unpack(ARGV)), redis.call('HMGET', KEYS[3], unpack(ARGV)) }
