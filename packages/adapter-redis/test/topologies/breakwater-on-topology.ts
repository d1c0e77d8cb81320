/**
 * A Breakwater "process" on a topology: its own ioredis client (a Cluster or a Sentinel client), the two
 * Redis stores under a shared prefix, and a campaign repository shared with the other "processes", as
 * app servers share one database. Several of these in one test stand in for several app servers.
 */
import {
  type Breakwater,
  type BreakwaterEventName,
  type BreakwaterOptions,
  type CampaignRepository,
  type InMemoryCampaignRepository,
  createBreakwater,
} from '@breakwater/core';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../../src/index.js';
import type { RedisStoreOptions } from '../../src/index.js';

export const SERVICES = ['apollo', 'perplexity'];

export interface TopologyProcess {
  bw: Breakwater;
  breakerStore: RedisCircuitBreakerStore;
  queueStore: RedisQueueStore;
  /** Events this process emitted, with whether another process caused them. */
  events: { name: BreakwaterEventName; service?: string; remote?: boolean }[];
  close(): Promise<void>;
}

export async function startProcess(
  storeOptions: RedisStoreOptions,
  campaigns: CampaignRepository,
  options: Partial<Omit<BreakwaterOptions, 'breakerStore' | 'queueStore' | 'campaigns'>> = {},
): Promise<TopologyProcess> {
  const breakerStore = new RedisCircuitBreakerStore(storeOptions);
  const queueStore = new RedisQueueStore(storeOptions);
  await Promise.all([breakerStore.ready(), queueStore.ready()]);
  const bw = createBreakwater({
    services: SERVICES,
    breakerStore,
    queueStore,
    campaigns,
    policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    ...options,
  });
  const events: TopologyProcess['events'] = [];
  for (const name of ['breaker:opened', 'breaker:reset', 'service:paused', 'service:resumed', 'resume:completed'] as const) {
    bw.events.on(name, (payload: { service?: string; remote?: boolean }) => {
      events.push({ name, service: payload.service, remote: payload.remote });
    });
  }
  return {
    bw,
    breakerStore,
    queueStore,
    events,
    close: async () => {
      await bw.close();
      await Promise.all([breakerStore.close(), queueStore.close()]);
    },
  };
}

/** `campaigns` RUNNING campaigns, each with `jobsPerService` PENDING jobs on every service. */
export async function seedCampaigns(campaigns: InMemoryCampaignRepository, count = 3, jobsPerService = 2): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const campaign = await campaigns.createCampaign({ name: `Wave ${i + 1}`, status: 'RUNNING' });
    for (const service of SERVICES) {
      for (let j = 0; j < jobsPerService; j += 1) await campaigns.enqueueJob({ campaignId: campaign.id, service, payload: { lead: j } });
    }
  }
}

/** A third-party service the test can take down and bring back. */
export class SimulatedService {
  down = false;
  calls = 0;

  constructor(readonly name: string) {}

  async call(): Promise<{ ok: true }> {
    this.calls += 1;
    if (this.down) throw new Error(`HTTP 503 from ${this.name}`);
    return { ok: true };
  }
}
