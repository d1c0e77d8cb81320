--[[
  get / list: the breaker hashes of the services given, read in one step with the state marker, so a
  store that lost its state is never read as "every breaker closed".

  KEYS[1]     the state marker (see includes/breaker-prelude.lua)
  KEYS[2..]   the breaker hashes
  ARGV        none

  Reply: { 'state_lost' } while the marker is absent; else one HGETALL reply (flat field/value list,
  empty for a breaker never written) per hash, in the order given.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return { 'state_lost' } end
local hashes = {}
for i = 2, #KEYS do hashes[#hashes + 1] = redis.call('HGETALL', KEYS[i]) end
return hashes
