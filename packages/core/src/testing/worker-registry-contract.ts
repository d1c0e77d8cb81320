/**
 * The WorkerRegistry contract: a heartbeat is listed as given until its TTL runs out, a newer one replaces
 * it, `remove` forgets it. `makeStore` must return a registry that lists nothing (e.g. under a fresh key
 * prefix). Staleness is tested with short real TTLs, because real servers keep their own time.
 */
import type { WorkerHeartbeat, WorkerRegistry } from '../ports.js';
import type { TestApi } from './test-api.js';
import { uniqueService } from './unique-service.js';
import { sleep } from './waiting.js';

function heartbeat(service: string, workerId: string, overrides: Partial<WorkerHeartbeat> = {}): WorkerHeartbeat {
  return {
    workerId,
    service,
    pid: 4242,
    hostname: 'worker-host-1',
    concurrency: 4,
    jobsInFlight: 1,
    startedAt: 1_767_600_000_000,
    lastSeenAt: 1_767_600_005_000,
    ...overrides,
  };
}

export function workerRegistryContract(api: TestApi, makeStore: () => WorkerRegistry | Promise<WorkerRegistry>): void {
  const { describe, it, expect } = api;

  describe('WorkerRegistry contract', () => {
    it('lists each heartbeat as given, by service then worker id', async () => {
      const registry = await makeStore();
      expect(await registry.list()).toEqual([]);
      const [openai, apollo] = [uniqueService('b-openai'), uniqueService('a-apollo')];
      const beats = [heartbeat(openai, 'w-2'), heartbeat(apollo, 'w-9', { hostname: 'other-host', pid: 7 }), heartbeat(openai, 'w-1')];
      for (const beat of beats) await registry.beat(beat, 30_000);
      expect(await registry.list()).toEqual([beats[1], beats[2], beats[0]]);
    });

    it('a newer heartbeat of the same worker replaces the older one', async () => {
      const registry = await makeStore();
      const service = uniqueService('beating');
      await registry.beat(heartbeat(service, 'w-1', { jobsInFlight: 0 }), 30_000);
      await registry.beat(heartbeat(service, 'w-1', { jobsInFlight: 3, lastSeenAt: 1_767_600_010_000 }), 30_000);
      expect(await registry.list()).toEqual([heartbeat(service, 'w-1', { jobsInFlight: 3, lastSeenAt: 1_767_600_010_000 })]);
    });

    it('a worker whose heartbeat is older than its TTL drops out; a new heartbeat brings it back', async () => {
      const registry = await makeStore();
      const service = uniqueService('stale');
      await registry.beat(heartbeat(service, 'w-stale'), 150);
      await registry.beat(heartbeat(service, 'w-live'), 30_000);
      expect((await registry.list()).map((beat) => beat.workerId)).toEqual(['w-live', 'w-stale']);
      await sleep(300);
      expect((await registry.list()).map((beat) => beat.workerId)).toEqual(['w-live']);
      await registry.beat(heartbeat(service, 'w-stale'), 30_000);
      expect((await registry.list()).map((beat) => beat.workerId)).toEqual(['w-live', 'w-stale']);
    });

    it('remove forgets a stopped worker, once', async () => {
      const registry = await makeStore();
      const service = uniqueService('stopping');
      await registry.beat(heartbeat(service, 'w-1'), 30_000);
      await registry.beat(heartbeat(service, 'w-2'), 30_000);
      expect(await registry.remove('w-1')).toBe(true);
      expect(await registry.remove('w-1')).toBe(false);
      expect((await registry.list()).map((beat) => beat.workerId)).toEqual(['w-2']);
    });

    it('heartbeats from many workers at once are all listed', async () => {
      const registry = await makeStore();
      const service = uniqueService('fleet');
      const ids = Array.from({ length: 25 }, (_, i) => `w-${String(i).padStart(2, '0')}`);
      await Promise.all(ids.map((id) => registry.beat(heartbeat(service, id), 30_000)));
      expect((await registry.list()).map((beat) => beat.workerId)).toEqual(ids);
    });
  });
}
