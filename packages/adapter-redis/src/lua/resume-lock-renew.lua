--[[
  renewResumeLock: extends the lock only while this token holds it.

  KEYS[1]  breakwater:resume_lock
  ARGV[1]  the token
  ARGV[2]  the new TTL, ms

  Reply: 1 when renewed, 0 when the lock is someone else's or gone.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
