--[[
  releaseResumeLock: compare-and-delete, so it never releases a lock someone else took after ours expired.

  KEYS[1]  breakwater:resume_lock
  ARGV[1]  the token

  Reply: 1 when released, 0 when the lock is someone else's or gone.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
