/**
 * WorkerRegistry on Redis: every worker's last heartbeat in one hash (`breakwater:workers`), and when each
 * goes stale in a sorted set beside it, both under the store's key prefix (so in one Cluster slot with a
 * hash-tagged prefix). Staleness is measured on the server's clock, so workers on hosts whose clocks
 * differ are judged alike; `list` drops the stale ones in the same step.
 */
import { type WorkerHeartbeat, type WorkerRegistry, byServiceThenWorker } from '@breakwater/core';
import { BoundedRedis } from './bounded-redis.js';
import { type KeyLayout, keyLayout } from './key-layout.js';
import { type RedisStoreOptions, databaseOf, resolveRedisStoreOptions } from './redis-store-options.js';
import { workerRegistryScripts as scripts } from './worker-registry-scripts.js';

export type RedisWorkerRegistryOptions = Pick<RedisStoreOptions, 'redis' | 'keyPrefix' | 'operationTimeoutMs'>;

// It keeps no near-cache and has nothing to fail open to: those options would be ignored, so they are refused.
const OPTION_NAMES = ['redis', 'keyPrefix', 'operationTimeoutMs'] as const satisfies readonly (keyof RedisWorkerRegistryOptions)[];

export class RedisWorkerRegistry implements WorkerRegistry {
  readonly #bounded: BoundedRedis;
  readonly #keys: KeyLayout;

  constructor(options: RedisWorkerRegistryOptions) {
    const resolved = resolveRedisStoreOptions('RedisWorkerRegistry', options, OPTION_NAMES);
    this.#keys = keyLayout(resolved.keyPrefix, databaseOf(resolved.redis));
    this.#bounded = new BoundedRedis(resolved.redis, resolved.operationTimeoutMs);
  }

  async beat(heartbeat: WorkerHeartbeat, ttlMs: number): Promise<void> {
    await this.#bounded.run((redis) =>
      scripts.beat.run(redis, this.#storeKeys(), [heartbeat.workerId, JSON.stringify(heartbeat), Math.max(1, Math.round(ttlMs))]),
    );
  }

  async list(): Promise<WorkerHeartbeat[]> {
    const reply = await this.#bounded.run((redis) => scripts.list.run(redis, this.#storeKeys(), []));
    const heartbeats: WorkerHeartbeat[] = [];
    for (const raw of reply as string[]) {
      try {
        heartbeats.push(JSON.parse(raw) as WorkerHeartbeat);
      } catch {
        // Not one of ours: skip it rather than fail the whole status.
      }
    }
    return heartbeats.sort(byServiceThenWorker);
  }

  async remove(workerId: string): Promise<boolean> {
    return (await this.#bounded.run((redis) => scripts.remove.run(redis, this.#storeKeys(), [workerId]))) === 1;
  }

  #storeKeys(): string[] {
    return [this.#keys.workers, this.#keys.workersExpiry];
  }
}
