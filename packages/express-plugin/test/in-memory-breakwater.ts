/** A Breakwater on core's in-memory stores, with a gate that can hold a resume mid-way. */
import {
  type Breakwater,
  type BreakwaterOptions,
  type CampaignRepository,
  InMemoryCampaignRepository,
  type InMemoryCampaignRepositoryOptions,
  InMemoryCircuitBreakerStore,
  InMemoryHistoryStore,
  InMemoryQueueStore,
  InMemoryWorkerRegistry,
  createBreakwater,
} from '@breakwater/core';

export const SERVICES = ['apollo', 'perplexity', 'openai'] as const;

/** Holds `resumeCampaigns` until `open()` is called, so a test can watch a resume while it runs. */
export class ResumeGate {
  #open!: () => void;
  #entered!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.#open = resolve));
  /** Resolves once a resume has reached the campaigns step and is waiting. */
  readonly entered = new Promise<void>((resolve) => (this.#entered = resolve));

  open(): void {
    this.#open();
  }

  wrap(repository: CampaignRepository): CampaignRepository {
    return new Proxy(repository, {
      get: (target, property, receiver) => {
        if (property === 'resumeCampaigns') {
          return async (...args: Parameters<CampaignRepository['resumeCampaigns']>) => {
            this.#entered();
            await this.opened;
            return target.resumeCampaigns(...args);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

export interface TestBreakwater {
  bw: Breakwater;
  repository: InMemoryCampaignRepository;
  breakerStore: InMemoryCircuitBreakerStore;
  queueStore: InMemoryQueueStore;
  history: InMemoryHistoryStore;
  workers: InMemoryWorkerRegistry;
}

const built: Breakwater[] = [];

/** Closes every Breakwater built since the last call (the tests' afterEach). */
export async function closeTestBreakwaters(): Promise<void> {
  for (const bw of built.splice(0)) await bw.close();
}

/** A Breakwater on fresh in-memory stores (a history and a worker registry included); `closeTestBreakwaters` closes it. */
export function createTestBreakwater(
  options: { gate?: ResumeGate; repository?: InMemoryCampaignRepositoryOptions; overrides?: Partial<BreakwaterOptions> } = {},
): TestBreakwater {
  const repository = new InMemoryCampaignRepository(options.repository);
  const breakerStore = new InMemoryCircuitBreakerStore();
  const queueStore = new InMemoryQueueStore();
  const history = new InMemoryHistoryStore();
  const workers = new InMemoryWorkerRegistry();
  const bw = createBreakwater({
    services: [...SERVICES],
    breakerStore,
    queueStore,
    campaigns: options.gate ? options.gate.wrap(repository) : repository,
    policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    history,
    workers,
    ...options.overrides,
  });
  built.push(bw);
  return { bw, repository, breakerStore, queueStore, history, workers };
}

/** Two running campaigns with pending jobs on apollo and openai: what a trip of apollo pauses. */
export async function seedRunningCampaigns(repository: CampaignRepository, count = 2): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const campaign = await repository.createCampaign({ name: `Campaign ${i + 1}`, status: 'RUNNING' });
    await repository.enqueueJob({ campaignId: campaign.id, service: 'apollo', payload: { lead: i } });
    await repository.enqueueJob({ campaignId: campaign.id, service: 'openai', payload: { lead: i } });
    ids.push(campaign.id);
  }
  return ids;
}
