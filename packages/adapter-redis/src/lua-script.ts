import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';

/**
 * A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL) only when the server does not know it
 * yet — after a restart or SCRIPT FLUSH — which also loads it for the next call. This is what ioredis'
 * `defineCommand` does, kept here so the store does not add commands to the host's client.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script; `decode` reads its reply (in the same step as the reply's arrival: one promise, not two). */
  run<T = unknown>(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
    decode: (reply: unknown) => T = (reply) => reply as T,
  ): Promise<T> {
    // Not an async function: the failure path runs this on every call.
    return redis.evalsha(this.sha, keys.length, ...keys, ...args).then(decode, (error: unknown) => {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args).then(decode);
    });
  }
}
