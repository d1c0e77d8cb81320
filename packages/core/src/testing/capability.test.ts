import { describe, expect, it } from 'vitest';
import { InMemoryCampaignRepository } from '../memory/in-memory-campaign-repository.js';
import { InMemoryQueueStore } from '../memory/in-memory-queue-store.js';
import type { CampaignRepository } from '../ports.js';
import { campaignRepositoryContract } from './campaign-repository-contract.js';
import { notSupported } from './capability.js';
import { queueStoreContract } from './queue-store-contract.js';
import type { TestApi } from './test-api.js';

interface Registered {
  name: string;
  fn: () => Promise<void> | void;
  skipped: boolean;
}

/** A test API that records what a suite registers instead of running it. */
function recording(options: { withSkip: boolean }): { api: TestApi; cases: Registered[] } {
  const cases: Registered[] = [];
  const it = Object.assign((name: string, fn: () => Promise<void> | void) => cases.push({ name, fn, skipped: false }), {
    ...(options.withSkip ? { skip: (name: string, fn: () => Promise<void> | void) => cases.push({ name, fn, skipped: true }) } : {}),
  });
  return { api: { describe: (_name, fn) => fn(), it, expect }, cases };
}

/** The in-memory repository, without the change notifications it normally has. */
function withoutSubscribe(): CampaignRepository {
  const repo = new InMemoryCampaignRepository();
  return Object.assign(repo, { subscribe: undefined });
}

const NO_FEED = notSupported('this store has no change feed');
const NO_HOOK = notSupported('no trigger can be installed');

describe('what an adapter does not support', () => {
  it('must be declared: a suite left to guess refuses to register', () => {
    const { api } = recording({ withSkip: true });
    expect(() => campaignRepositoryContract(api, withoutSubscribe, {} as never)).toThrow(
      `campaignRepositoryContract: declare option "subscribe": what the adapter has, or notSupported('why it has none')`,
    );
    expect(() => queueStoreContract(api, () => new InMemoryQueueStore(), undefined as never)).toThrow('declare option "localView"');
    expect(() => notSupported(' ')).toThrow('needs the reason');
  });

  it('has its cases registered as skipped, each named with the reason', () => {
    const { api, cases } = recording({ withSkip: true });
    campaignRepositoryContract(api, withoutSubscribe, { subscribe: NO_FEED, failCampaignResume: NO_HOOK });
    const skipped = cases.filter((registered) => registered.skipped).map((registered) => registered.name);
    expect(skipped).toEqual([
      'subscribe hears a batch as one change per service, with its count (skipped: not supported by this adapter, this store has no change feed)',
      'resumeCampaigns: a campaign whose resume fails in the store stays exactly as it was; the others resume (skipped: not supported by this adapter, no trigger can be installed)',
      'subscribe reports every enqueued job until unsubscribed (skipped: not supported by this adapter, this store has no change feed)',
    ]);
  });

  it('is still listed, by the same names, with a runner that cannot skip', () => {
    const { api, cases } = recording({ withSkip: false });
    queueStoreContract(api, () => new InMemoryQueueStore(), { localView: notSupported('every read goes to the server') });
    expect(cases.map((registered) => registered.name)).toContain(
      'localView: knows nothing while the store holds no state; then, whenever it answers, what getStates answers, for as long as the store lives (skipped: not supported by this adapter, every read goes to the server)',
    );
  });

  it('is held to the adapter: declared missing but there, or declared but missing, fails', async () => {
    const optionalMethodsCase = (make: () => CampaignRepository, subscribe: true | typeof NO_FEED) => {
      const { api, cases } = recording({ withSkip: true });
      campaignRepositoryContract(api, make, { subscribe, failCampaignResume: NO_HOOK });
      const found = cases.find((registered) => registered.name.startsWith('its optional methods'));
      if (!found) throw new Error('no optional-methods case');
      return found.fn;
    };
    await expect(optionalMethodsCase(() => new InMemoryCampaignRepository(), NO_FEED)).rejects.toThrow();
    await expect(optionalMethodsCase(withoutSubscribe, true)).rejects.toThrow();
    await optionalMethodsCase(withoutSubscribe, NO_FEED)();
    await optionalMethodsCase(() => new InMemoryCampaignRepository(), true)();
  });
});
