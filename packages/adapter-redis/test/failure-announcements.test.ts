/**
 * What a failure announces: the one that takes the count off zero (other instances then know a success has
 * something to write), and every transition; a failure that only adds to a count is not announced, so the
 * other instances' near-caches keep answering, and nobody decides wrongly on what they hold.
 */
import { DEFAULT_POLICY } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore } from '../src/index.js';
import { closeAll, closeLater, connectRedis, randomPrefix, waitUntil } from './redis-clients.js';

afterAll(closeAll);

const policy = { ...DEFAULT_POLICY, failureThreshold: 4 };
const monotonic = () => performance.now();

describe('failure announcements', () => {
  it('announce a count leaving zero and the opening, not the failures between; the other instance decides right throughout', async () => {
    const redis = connectRedis();
    const keyPrefix = randomPrefix();
    const here = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    const there = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    await Promise.all([here.ready(), there.ready()]);
    const now = Date.now();
    await here.initialize({ services: ['apollo'], paused: [], now });
    const apolloThere = there.localView('apollo');
    // Read there once the set-up's own announcement has reached it (else that announcement drops the entry).
    expect(await waitUntil(async () => (await there.get('apollo', now)) && apolloThere.peek(monotonic) !== undefined)).toBe(true);
    expect(apolloThere.peek(monotonic)).toMatchObject({ state: 'closed', failureCount: 0 });
    const announced: string[] = [];
    const listener = connectRedis();
    listener.on('message', (_channel: string, message: string) => announced.push(message));
    await listener.subscribe(`${keyPrefix}breakwater:circuit_breaker_changes:db${redis.options.db ?? 0}`);

    await here.recordFailure('apollo', { reason: 'HTTP 503' }, policy, now + 1);
    expect(await waitUntil(() => announced.length === 1)).toBe(true);
    expect(await waitUntil(() => apolloThere.peek(monotonic) === undefined)).toBe(true);
    // Its next read finds the count: a success there is not free any more.
    expect(await there.get('apollo', now + 2)).toMatchObject({ failureCount: 1 });

    await here.recordFailure('apollo', { reason: 'HTTP 503' }, policy, now + 3);
    await here.recordFailure('apollo', { reason: 'HTTP 502' }, policy, now + 4);
    await redis.ping(); // anything published before this reply has reached the listener's connection too
    await listener.ping();
    expect(announced).toHaveLength(1);
    expect(apolloThere.peek(monotonic)).toMatchObject({ state: 'closed', failureCount: 1 });

    // A success there still goes to Redis (the count it knows is not zero) and zeroes the real count.
    expect((await there.recordSuccess('apollo', policy, now + 5)).record).toMatchObject({ state: 'closed', failureCount: 0 });
    expect(await waitUntil(() => announced.length === 2)).toBe(true);

    for (let i = 0; i < 4; i++) await here.recordFailure('apollo', { reason: 'HTTP 503' }, policy, now + 6 + i);
    expect(await waitUntil(() => announced.length === 4)).toBe(true);
    expect(announced.map((message) => JSON.parse(message.slice(message.indexOf('\n') + 1)) as { transition: string })).toMatchObject([
      { transition: '' },
      { transition: '' },
      { transition: '' },
      { transition: 'opened' },
    ]);
    expect(await waitUntil(() => apolloThere.peek(monotonic) === undefined)).toBe(true);
    expect(await there.get('apollo', now + 10)).toMatchObject({ state: 'open', failureCount: 4 });
  });

  it('name a service and a key prefix with quotes, a newline and characters past ASCII as they were given', async () => {
    const redis = connectRedis();
    // randomPrefix registers the prefix for clean-up; the odd characters come after it.
    const keyPrefix = `${randomPrefix()}"q"\n é:`;
    const service = 'crm "north"\nzone — ☁️';
    const here = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix }));
    const there = closeLater(new RedisCircuitBreakerStore({ redis, keyPrefix }));
    await Promise.all([here.ready(), there.ready()]);
    const now = Date.now();
    await here.initialize({ services: [service], paused: [], now });
    const heardThere: string[] = [];
    there.subscribe((change) => heardThere.push(`${change.service}:${change.transition}`));
    const announced: string[] = [];
    const listener = connectRedis();
    listener.on('message', (_channel: string, message: string) => announced.push(message));
    await listener.subscribe(`${keyPrefix}breakwater:circuit_breaker_changes:db${redis.options.db ?? 0}`);
    const tight = { ...DEFAULT_POLICY, failureThreshold: 2 };

    await here.get(service, now); // held at its version: the first failure takes the fast path, the second opens
    await here.recordFailure(service, { reason: 'HTTP 503' }, tight, now + 1);
    await here.recordFailure(service, { reason: 'HTTP 503' }, tight, now + 2);

    expect(await waitUntil(() => announced.length === 2)).toBe(true);
    const services = announced.map((message) => (JSON.parse(message.slice(message.indexOf('\n') + 1)) as { service: string }).service);
    expect(services).toEqual([service, service]);
    expect(await waitUntil(() => heardThere.includes(`${service}:opened`))).toBe(true);
    expect(await redis.hget(`${keyPrefix}circuit_breaker:${service}`, 'state')).toBe('open');
    expect(await there.get(service, now + 3)).toMatchObject({ service, state: 'open', failureCount: 2 });
  });
});
