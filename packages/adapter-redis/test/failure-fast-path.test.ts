/**
 * The failure fast path (breaker-record-failure.lua): an instance that holds the breaker's current record, by
 * which the failure only counts, sends its version with the count and version that follow, and Redis writes them
 * and answers 1. What holds it honest: the record it then returns is the one a fresh read gives, every write moves
 * the version on (a reset does not restart it), the failure that opens the breaker is never taken for one that
 * only counts, and a record from before a write made elsewhere, or from before Redis lost its state, is never
 * patched as if it were current.
 */
import { DEFAULT_POLICY } from '@breakwater/core';
import type { BreakerChange, BreakerRecord } from '@breakwater/core';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { clientIdsNamed, closeAll, closeLater, connectRedis, randomPrefix, waitUntil } from './redis-clients.js';

afterAll(closeAll);

const policy = { ...DEFAULT_POLICY, failureThreshold: 1_000 };

/**
 * How each breaker script sent through `client` while `run` runs was answered: 'fast' (the fast path's 1) or 'full'.
 * EVAL too: a script Redis does not know yet (the first run after it changed) is sent in full after a NOSCRIPT.
 */
async function repliesDuring(client: Redis, run: () => Promise<void>): Promise<string[]> {
  const replies: string[] = [];
  const note = (reply: unknown) => {
    replies.push(reply === 1 ? 'fast' : 'full');
    return reply;
  };
  const { evalsha, eval: evalInFull } = client;
  client.evalsha = ((...args: Parameters<Redis['evalsha']>) => evalsha.apply(client, args).then(note)) as Redis['evalsha'];
  client.eval = ((...args: Parameters<Redis['eval']>) => evalInFull.apply(client, args).then(note)) as Redis['eval'];
  try {
    await run();
  } finally {
    client.evalsha = evalsha;
    client.eval = evalInFull;
  }
  return replies;
}

/** Two store instances on one prefix, each with a client of its own; `fresh` reads Redis on every call. */
async function instances() {
  const keyPrefix = randomPrefix();
  const client = connectRedis();
  const here = closeLater(new RedisCircuitBreakerStore({ redis: client, keyPrefix, nearCacheMaxAgeMs: 60_000 }));
  const elsewhere = closeLater(new RedisCircuitBreakerStore({ redis: connectRedis(), keyPrefix, nearCacheMaxAgeMs: 0 }));
  await Promise.all([here.ready(), elsewhere.ready()]);
  // Set up with apollo's breaker written out (closed), as core sets a store up for its services.
  await here.initialize({ services: ['apollo'], paused: [], now: Date.now() });
  const raw = connectRedis();
  const version = async () => Number(await raw.hget(`${keyPrefix}circuit_breaker:apollo`, 'version'));
  const fresh = (): Promise<BreakerRecord> => elsewhere.get('apollo', Date.now());
  return { keyPrefix, client, here, elsewhere, raw, version, fresh };
}

describe('the failure fast path', () => {
  it('answers 1 alone once the instance holds the current record, whose update then matches a fresh read', async () => {
    const { client, here, version, fresh } = await instances();
    await here.get('apollo', Date.now());
    const before = await version();

    const results: BreakerRecord[] = [];
    const replies = await repliesDuring(client, async () => {
      results.push((await here.recordFailure('apollo', { reason: 'HTTP 503' }, policy, Date.now())).record);
      results.push((await here.recordFailure('apollo', {}, policy, Date.now())).record);
      results.push((await here.recordFailure('apollo', { reason: 'HTTP 429' }, policy, Date.now())).record);
    });

    expect(replies).toEqual(['fast', 'fast', 'fast']);
    expect(results.map((record) => [record.failureCount, record.lastFailureReason])).toEqual([
      [1, 'HTTP 503'],
      [2, 'HTTP 503'],
      [3, 'HTTP 429'],
    ]);
    expect(results[2]).toEqual(await fresh());
    expect(await version()).toBe(before + 3);
  });

  it('answers in full the failure that opens the breaker, and any failure under a failure-rate window', async () => {
    const { client, here, fresh } = await instances();
    const threshold = { ...DEFAULT_POLICY, failureThreshold: 3 };
    const withRate = { ...policy, failureRate: { threshold: 0.9, minimumRequests: 100, windowMs: 60_000 } };
    await here.get('apollo', Date.now());

    const results: BreakerRecord[] = [];
    const replies = await repliesDuring(client, async () => {
      for (let i = 0; i < 3; i++) results.push((await here.recordFailure('apollo', { reason: 'HTTP 503' }, threshold, Date.now())).record);
      await here.reset('apollo', Date.now());
      results.push((await here.recordFailure('apollo', {}, withRate, Date.now())).record);
    });

    // The reset in between is a script of its own, answered in full.
    expect(replies).toEqual(['fast', 'fast', 'full', 'full', 'full']);
    expect(results[2]).toMatchObject({ state: 'open', failureCount: 3, tripCount: 1 });
    expect(results[3]).toMatchObject({ state: 'closed', failureCount: 1, windowRequests: 1, windowFailures: 1 });
    expect(results[3]).toEqual(await fresh());
  });

  it('answers in full after a write made elsewhere, counting both, and fast again after that', async () => {
    const { client, here, elsewhere, fresh } = await instances();
    await here.recordFailure('apollo', { reason: 'first' }, policy, Date.now());
    await here.recordFailure('apollo', { reason: 'second' }, policy, Date.now());
    // Elsewhere counts a third: a count that does not leave zero is not announced, so `here` learns of it from Redis.
    await elsewhere.recordFailure('apollo', { reason: 'third, elsewhere' }, policy, Date.now());

    const results: BreakerRecord[] = [];
    const replies = await repliesDuring(client, async () => {
      results.push((await here.recordFailure('apollo', {}, policy, Date.now())).record);
      results.push((await here.recordFailure('apollo', {}, policy, Date.now())).record);
    });

    expect(replies).toEqual(['full', 'fast']);
    expect(results[0]).toMatchObject({ failureCount: 4, lastFailureReason: 'third, elsewhere' });
    expect(results[1]).toEqual(await fresh());
    expect(results[1]!.failureCount).toBe(5);
  });

  it('moves the version on with every write, a reset and a trip included, and never back', async () => {
    const { here, version } = await instances();
    const seen = [await version()];
    await here.recordFailure('apollo', {}, policy, Date.now());
    seen.push(await version());
    await here.trip('apollo', 'maintenance', policy, Date.now());
    seen.push(await version());
    await here.reset('apollo', Date.now());
    seen.push(await version());
    await here.recordFailure('apollo', {}, policy, Date.now());
    seen.push(await version());
    // A success on a clean closed breaker writes nothing, so it leaves the version as it is.
    await here.recordSuccess('apollo', policy, Date.now());
    await here.recordSuccess('apollo', policy, Date.now());
    seen.push(await version());

    expect(seen[0]).toBeGreaterThan(0);
    expect(seen.slice(1).map((value, index) => value - seen[index]!)).toEqual([1, 1, 1, 1, 1]);
  });

  it('after Redis lost its state and was set up again, a record held from before is not taken for the current one', async () => {
    const { keyPrefix, client, here, elsewhere, raw, version, fresh } = await instances();
    for (let i = 0; i < 3; i++) await here.recordFailure('apollo', {}, policy, Date.now());
    const heldVersion = await version();
    const seenHere: BreakerChange[] = [];
    here.subscribe((change) => seenHere.push(change));

    // Lost: every key of the prefix gone. Elsewhere sets the store up again and writes until the new hash has
    // reached the version held here, with another record (tripped once).
    await raw.del(...(await raw.keys(`${keyPrefix}*`)));
    await elsewhere.initialize({ services: ['apollo'], paused: [], now: Date.now() });
    await elsewhere.trip('apollo', 'maintenance', policy, Date.now());
    await elsewhere.reset('apollo', Date.now());
    while ((await version()) < heldVersion) await elsewhere.recordFailure('apollo', {}, policy, Date.now());
    expect(await version()).toBe(heldVersion);
    expect(await waitUntil(() => seenHere.some((change) => change.transition === 'reset'))).toBe(true);

    let result: BreakerRecord | undefined;
    const replies = await repliesDuring(client, async () => {
      result = (await here.recordFailure('apollo', {}, policy, Date.now())).record;
    });
    expect(replies).toEqual(['full']);
    expect(result).toEqual(await fresh());
    expect(result).toMatchObject({ tripCount: 1 });
  });

  it('answers in full after its subscriber lost its connection (announcements may have been missed)', async () => {
    const { client, here, raw } = await instances();
    await here.recordFailure('apollo', {}, policy, Date.now());
    const name = `breakwater:circuit_breaker_changes:${here.instanceId}`;
    const [before] = await clientIdsNamed(raw, name);
    await raw.call('CLIENT', 'KILL', 'ID', before ?? '');
    // ioredis reconnects only after it has handled the close, so a new connection means the store knows.
    expect(await waitUntil(async () => (await clientIdsNamed(raw, name)).some((id) => id !== before))).toBe(true);

    const replies = await repliesDuring(client, async () => {
      await here.recordFailure('apollo', {}, policy, Date.now());
      await here.recordFailure('apollo', {}, policy, Date.now());
    });
    expect(replies).toEqual(['full', 'fast']);
  });
});
