/**
 * The staleness bound the README states: a change made through another store instance (another
 * process) is seen once its pub/sub message arrives, never later than nearCacheMaxAgeMs even if the
 * message is lost, and nothing is served from the cache while the subscriber is disconnected.
 * Each store here has its own client, as two processes would.
 */
import { DEFAULT_POLICY } from '@breakwater/core';
import type { BreakerChange, QueueChange } from '@breakwater/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { resumeReport } from './resume-reports.js';
import { clientIdsNamed, closeAll, closeLater, connectRedis, randomPrefix, setUpStores, sleep, waitUntil } from './redis-clients.js';

afterAll(closeAll);

const raw = connectRedis();

async function twoBreakerStores(options: { nearCacheMaxAgeMs?: number } = {}) {
  const keyPrefix = randomPrefix();
  const here = closeLater(new RedisCircuitBreakerStore({ redis: connectRedis(), keyPrefix, ...options }));
  const elsewhere = closeLater(new RedisCircuitBreakerStore({ redis: connectRedis(), keyPrefix, ...options }));
  await Promise.all([here.ready(), elsewhere.ready()]);
  await setUpStores(here, elsewhere);
  return { here, elsewhere, keyPrefix };
}

describe('breaker near-cache', () => {
  it('a change made elsewhere is seen as soon as its message arrives, and reported to subscribers there only', async () => {
    // A max age far longer than the test: only the pub/sub message can make the change visible.
    const { here, elsewhere } = await twoBreakerStores({ nearCacheMaxAgeMs: 60_000 });
    const seenHere: BreakerChange[] = [];
    const seenElsewhere: BreakerChange[] = [];
    here.subscribe((change) => seenHere.push(change));
    elsewhere.subscribe((change) => seenElsewhere.push(change));

    expect((await here.get('apollo', Date.now())).state).toBe('closed');
    await elsewhere.trip('apollo', 'maintenance', DEFAULT_POLICY, Date.now());

    expect(await waitUntil(async () => (await here.get('apollo', Date.now())).state === 'open')).toBe(true);
    expect(seenHere).toMatchObject([
      { service: 'apollo', transition: 'opened', record: { state: 'open', latched: true, lastFailureReason: 'maintenance', tripCount: 1 } },
    ]);
    expect(seenElsewhere).toEqual([]);
  });

  it('a change whose message is lost is seen after nearCacheMaxAgeMs at the latest', async () => {
    const { here, keyPrefix } = await twoBreakerStores({ nearCacheMaxAgeMs: 400 });
    expect((await here.get('apollo', Date.now())).state).toBe('closed');
    // Written behind the stores' back: no message is published, as if it had been lost.
    await raw.hset(`${keyPrefix}circuit_breaker:apollo`, {
      state: 'open',
      failure_count: '5',
      trip_count: '1',
      updated_at: String(Date.now()),
    });

    expect((await here.get('apollo', Date.now())).state).toBe('closed'); // the near-cache answered
    await sleep(400);
    expect(await here.get('apollo', Date.now())).toMatchObject({ state: 'open', failureCount: 5, tripCount: 1 });
  });

  it('nothing is served from the cache once the subscriber has lost its connection, and it recovers', async () => {
    const { here, elsewhere, keyPrefix } = await twoBreakerStores({ nearCacheMaxAgeMs: 60_000 });
    const seenHere: BreakerChange[] = [];
    here.subscribe((change) => seenHere.push(change));
    expect((await here.get('apollo', Date.now())).state).toBe('closed');

    const name = `breakwater:circuit_breaker_changes:${here.instanceId}`;
    const [before] = await clientIdsNamed(raw, name);
    await raw.call('CLIENT', 'KILL', 'ID', before ?? '');
    // ioredis reconnects only after it has handled the close, so a new connection means the cache knows.
    expect(await waitUntil(async () => (await clientIdsNamed(raw, name)).some((id) => id !== before))).toBe(true);

    await raw.hset(`${keyPrefix}circuit_breaker:apollo`, {
      state: 'open',
      failure_count: '5',
      trip_count: '1',
      updated_at: String(Date.now()),
    });
    expect((await here.get('apollo', Date.now())).state).toBe('open');

    // Subscribed again: changes from elsewhere arrive as before.
    await here.ready();
    await elsewhere.reset('apollo', Date.now());
    expect(await waitUntil(() => seenHere.some((change) => change.transition === 'reset'))).toBe(true);
    expect((await here.get('apollo', Date.now())).state).toBe('closed');
  });
});

describe('queue near-cache', () => {
  it('a pause or resume made elsewhere is seen once its message arrives; a saved report is announced with its resumeId', async () => {
    const keyPrefix = randomPrefix();
    const here = closeLater(new RedisQueueStore({ redis: connectRedis(), keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    const elsewhere = closeLater(new RedisQueueStore({ redis: connectRedis(), keyPrefix, nearCacheMaxAgeMs: 60_000 }));
    await Promise.all([here.ready(), elsewhere.ready()]);
    await setUpStores(here, elsewhere);
    const seenHere: QueueChange[] = [];
    const seenElsewhere: QueueChange[] = [];
    here.subscribe((change) => seenHere.push(change));
    elsewhere.subscribe((change) => seenElsewhere.push(change));

    expect(await here.getStates(['apollo'])).toMatchObject([{ state: 'ACTIVE' }]);
    await elsewhere.pause('apollo', 'Circuit breaker open for apollo');
    expect(await waitUntil(async () => (await here.getStates(['apollo']))[0]?.state === 'PAUSED')).toBe(true);
    expect((await here.getStates(['apollo']))[0]).toMatchObject({ reason: 'Circuit breaker open for apollo' });

    await elsewhere.resume('apollo');
    expect(await waitUntil(async () => (await here.getStates(['apollo']))[0]?.state === 'ACTIVE')).toBe(true);

    await elsewhere.saveLastReport(resumeReport('resume-1'));
    expect(await waitUntil(() => seenHere.some((change) => change.kind === 'resume-completed'))).toBe(true);
    expect(seenHere).toMatchObject([
      { kind: 'queue', service: 'apollo', state: { service: 'apollo', state: 'PAUSED', reason: 'Circuit breaker open for apollo' } },
      { kind: 'queue', service: 'apollo', state: { service: 'apollo', state: 'ACTIVE', reason: null } },
      { kind: 'resume-completed', resumeId: 'resume-1' },
    ]);
    expect(seenElsewhere).toEqual([]);
  });

  it('a queue state whose message is lost is seen after nearCacheMaxAgeMs at the latest', async () => {
    const keyPrefix = randomPrefix();
    const here = closeLater(new RedisQueueStore({ redis: connectRedis(), keyPrefix, nearCacheMaxAgeMs: 400 }));
    await here.ready();
    await setUpStores(here);
    expect(await here.getStates(['apollo'])).toMatchObject([{ state: 'ACTIVE' }]);
    await raw.hset(`${keyPrefix}queue_status`, 'apollo', 'PAUSED');
    expect(await here.getStates(['apollo'])).toMatchObject([{ state: 'ACTIVE' }]); // the near-cache answered
    await sleep(400);
    expect(await here.getStates(['apollo'])).toMatchObject([{ state: 'PAUSED' }]);
  });
});
