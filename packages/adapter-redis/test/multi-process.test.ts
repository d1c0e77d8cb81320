/**
 * Real Node processes sharing one Redis prefix, each with its own Breakwater (createBreakwater, the
 * Redis stores, an in-memory campaign repository), as separate app servers would run.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NEAR_CACHE_MAX_AGE_MS } from '../src/index.js';
import { BreakwaterProcess } from './breakwater-processes.js';
import type { RecordedEvent } from './fixtures/breakwater-process.js';
import { closeAll, connectRedis, randomPrefix, sleep, waitUntil } from './redis-clients.js';

const raw = connectRedis();
let running: BreakwaterProcess[] = [];

async function startProcesses(count: number, env: Parameters<typeof BreakwaterProcess.start>[0]): Promise<BreakwaterProcess[]> {
  const started = Array.from({ length: count }, () => BreakwaterProcess.start(env));
  running.push(...started);
  await Promise.all(started.map((process) => process.ready()));
  return started;
}

afterEach(async () => {
  await Promise.all(running.map((process) => process.stop()));
  running = [];
});
afterAll(closeAll);

const opened = (events: RecordedEvent[]) => events.filter((event) => event.name === 'breaker:opened');

describe('many processes, one breaker', () => {
  it('8 processes failing one breaker at once trip it exactly once; the others hear of it as remote', async () => {
    const keyPrefix = randomPrefix();
    const processes = await startProcesses(8, { keyPrefix });

    await Promise.all(processes.map((process) => process.request({ type: 'fail', service: 'apollo', times: 5 })));

    expect(await raw.hgetall(`${keyPrefix}circuit_breaker:apollo`)).toMatchObject({ state: 'open', trip_count: '1', failure_count: '40' });
    // Remote events arrive over pub/sub: wait until every process has one, then give duplicates a chance to show.
    expect(
      await waitUntil(
        async () => (await Promise.all(processes.map((p) => p.events()))).every((events) => opened(events).length >= 1),
        5_000,
      ),
    ).toBe(true);
    await sleep(100);
    const openedEvents = (await Promise.all(processes.map((p) => p.events()))).map(opened);
    expect(openedEvents.map((events) => events.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(openedEvents.flat().filter((event) => !event.remote)).toHaveLength(1);
    expect(openedEvents.flat().filter((event) => event.remote)).toHaveLength(7);
    // The tripping process ran the cascade and paused the queue, once.
    expect(await raw.hget(`${keyPrefix}queue_status`, 'apollo')).toBe('PAUSED');
  }, 60_000);

  it('a trip in one process is seen by another within the near-cache bound (nearCacheMaxAgeMs)', async () => {
    const keyPrefix = randomPrefix();
    const [tripper, watcher] = await startProcesses(2, { keyPrefix });
    // The watcher has the closed breaker in its near-cache.
    expect(await watcher!.request({ type: 'allow', service: 'apollo' })).toEqual({ allowed: true, reason: null });
    expect(await watcher!.request({ type: 'allow', service: 'apollo' })).toEqual({ allowed: true, reason: null });

    await tripper!.request({ type: 'trip', service: 'apollo', reason: 'maintenance' });
    const trippedAt = Date.now();
    let decision: unknown;
    const seen = await waitUntil(async () => {
      decision = await watcher!.request({ type: 'allow', service: 'apollo' });
      return (decision as { allowed: boolean }).allowed === false;
    }, DEFAULT_NEAR_CACHE_MAX_AGE_MS);
    expect({ seen, within: Date.now() - trippedAt <= DEFAULT_NEAR_CACHE_MAX_AGE_MS }).toEqual({ seen: true, within: true });
    expect(decision).toEqual({ allowed: false, reason: 'open' });
    expect(opened(await watcher!.events())).toEqual([{ name: 'breaker:opened', service: 'apollo', remote: true }]);
  });
});

describe('the resume lock across processes', () => {
  it('a holder killed mid-resume leaves a lock that expires, and the next resume runs', async () => {
    const keyPrefix = randomPrefix();
    const lockKey = `${keyPrefix}breakwater:resume_lock`;
    const [holder] = await startProcesses(1, { keyPrefix, resumeLockTtlMs: 600, hangResume: true });
    const [next] = await startProcesses(1, { keyPrefix, resumeLockTtlMs: 600 });

    void holder!.send({ type: 'resume' }); // never answers: it hangs under the lock
    expect(await waitUntil(async () => (await raw.exists(lockKey)) === 1)).toBe(true);
    holder!.kill('SIGKILL');

    const refused = await next!.send({ type: 'resume' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RESUME_IN_PROGRESS' } });

    // Nobody renews the dead holder's lock: it expires within its TTL and the next resume goes through.
    let report: unknown;
    expect(
      await waitUntil(async () => {
        const reply = await next!.send({ type: 'resume' });
        if (reply.ok) report = reply.value;
        return reply.ok;
      }, 3_000),
    ).toBe(true);
    expect(report).toMatchObject({
      queueResumed: true,
      servicesResumed: ['apollo'],
      message: 'Queue resumed successfully: 0 jobs and 0 campaigns resumed',
    });
    expect(await raw.exists(lockKey)).toBe(0);
  });
});
