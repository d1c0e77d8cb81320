/**
 * The queue store's atomic steps in Lua. Queue scripts take KEYS = { queue_status, queue_status_reason,
 * queue_status_updated_at } and reply { changed '1'/'0', state, reason or false, updated_at or false }
 * for the service; every change publishes { origin, kind = 'queue', service, state, reason, updated_at }
 * in the same script.
 */
import { LuaScript } from './lua-script.js';

/** ARGV: origin, channel, service, reason, now. ACTIVE (or never paused) → PAUSED. */
const PAUSE = `
local origin, channel, service, reason, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HGET', KEYS[1], service) == 'PAUSED' then
  return { '0', 'PAUSED', redis.call('HGET', KEYS[2], service), redis.call('HGET', KEYS[3], service) }
end
redis.call('HSET', KEYS[1], service, 'PAUSED')
redis.call('HSET', KEYS[2], service, reason)
redis.call('HSET', KEYS[3], service, now)
redis.call('PUBLISH', channel, cjson.encode({ origin = origin, kind = 'queue', service = service, state = 'PAUSED', reason = reason, updated_at = now }))
return { '1', 'PAUSED', reason, now }
`;

/** ARGV: origin, channel, service, now. PAUSED → ACTIVE. */
const RESUME = `
local origin, channel, service, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('HGET', KEYS[1], service)
if current ~= 'PAUSED' then
  -- Never paused is ACTIVE already; written out so that HGETALL queue_status lists every service
  -- as ACTIVE after a resume, as an operator's check expects. Not a change: nothing is announced.
  if not current then redis.call('HSET', KEYS[1], service, 'ACTIVE') end
  return { '0', 'ACTIVE', false, redis.call('HGET', KEYS[3], service) }
end
redis.call('HSET', KEYS[1], service, 'ACTIVE')
redis.call('HDEL', KEYS[2], service)
redis.call('HSET', KEYS[3], service, now)
redis.call('PUBLISH', channel, cjson.encode({ origin = origin, kind = 'queue', service = service, state = 'ACTIVE', updated_at = now }))
return { '1', 'ACTIVE', false, now }
`;

/** ARGV: the services. Reply: { states, reasons, updated_ats }, each in the order given (false when absent). */
const READ_STATES = `
return { redis.call('HMGET', KEYS[1], unpack(ARGV)), redis.call('HMGET', KEYS[2], unpack(ARGV)), redis.call('HMGET', KEYS[3], unpack(ARGV)) }
`;

/** KEYS[1] the lock; ARGV: token, ttlMs. Extends the lock only while this token holds it. */
const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS[1] the lock; ARGV: token. Compare-and-delete: never releases a lock someone else took after ours expired. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** KEYS[1] the report; ARGV: report JSON, origin, channel, resumeId. Saved and announced in one step. */
const SAVE_REPORT = `
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[3], cjson.encode({ origin = ARGV[2], kind = 'resume-completed', resume_id = ARGV[4] }))
return 1
`;

export const queueScripts = {
  pause: new LuaScript(PAUSE),
  resume: new LuaScript(RESUME),
  readStates: new LuaScript(READ_STATES),
  renewLock: new LuaScript(RENEW_LOCK),
  releaseLock: new LuaScript(RELEASE_LOCK),
  saveReport: new LuaScript(SAVE_REPORT),
} as const;
