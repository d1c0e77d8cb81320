/**
 * What every part of the CampaignRepository contract shares: the caller's test functions, repository
 * factory and options, and the fixtures that build campaigns and jobs through the port and read them
 * back (bypassing the adapter when the caller can).
 */
import type { Campaign, CampaignStatus, Job } from '../../domain.js';
import type { CampaignRepository } from '../../ports.js';
import type { Capability } from '../capability.js';
import type { TestApi } from '../test-api.js';

export interface CampaignRepositoryContractOptions {
  /** `true` when the repository has `subscribe` (change notifications), else `notSupported(why)`. */
  subscribe: Capability;
  /**
   * Makes this campaign's resume fail inside the store, the way a trigger raising `message` would; or
   * `notSupported(why)` when the store offers no way to, and the failure-isolation case is skipped.
   */
  failCampaignResume: Capability<(repo: CampaignRepository, campaignId: string, message: string) => Promise<void>>;
  /** Reads a campaign row back bypassing the adapter. */
  readCampaignRaw?: (repo: CampaignRepository, id: string) => Promise<{ status: string; statusMessage: string | null }>;
  /** Reads a job row back bypassing the adapter. */
  readJobRaw?: (repo: CampaignRepository, id: string) => Promise<{ status: string; error: string | null; attempts: number }>;
}

export interface ContractSuite {
  api: TestApi;
  /** An EMPTY repository each time. */
  makeRepo: () => CampaignRepository | Promise<CampaignRepository>;
  options: CampaignRepositoryContractOptions;
  /** The stored campaign: through the raw reader when there is one, else through the port. */
  storedCampaign(repo: CampaignRepository, id: string): Promise<{ status: string; statusMessage: string | null }>;
  /** The stored job: through the raw reader when there is one, else through the port. */
  storedJob(repo: CampaignRepository, id: string): Promise<{ status: string; error: string | null; attempts: number }>;
}

export function contractSuite(
  api: TestApi,
  makeRepo: ContractSuite['makeRepo'],
  options: CampaignRepositoryContractOptions,
): ContractSuite {
  return {
    api,
    makeRepo,
    options,
    async storedCampaign(repo, id) {
      if (options.readCampaignRaw) return options.readCampaignRaw(repo, id);
      const campaign = await repo.getCampaign(id);
      if (!campaign) throw new Error(`campaign ${id} is missing`);
      return { status: campaign.status as string, statusMessage: campaign.statusMessage };
    },
    async storedJob(repo, id) {
      if (options.readJobRaw) return options.readJobRaw(repo, id);
      const job = await repo.getJob(id);
      if (!job) throw new Error(`job ${id} is missing`);
      return { status: job.status as string, error: job.error, attempts: job.attempts };
    },
  };
}

/** An id no fresh repository has handed out. */
export const MISSING_ID = '987654321';
export const RESUMED = 'Campaign resumed - services are available';

export async function campaign(repo: CampaignRepository, status: CampaignStatus, name = `campaign ${status}`): Promise<Campaign> {
  return repo.createCampaign({ name, status });
}

export async function jobs(
  repo: CampaignRepository,
  campaignId: string,
  service: string,
  count: number,
  status?: 'PENDING' | 'PAUSED',
): Promise<Job[]> {
  const made: Job[] = [];
  for (let i = 0; i < count; i++)
    made.push(await repo.enqueueJob({ campaignId, service, payload: { n: i }, ...(status ? { status } : {}) }));
  return made;
}

/** A job of this service claimed by `workerId`, ready for complete/fail/repause. */
export async function claimedJob(repo: CampaignRepository, service: string, workerId: string, leaseMs = 60_000): Promise<Job> {
  const running = await campaign(repo, 'RUNNING');
  await repo.enqueueJob({ campaignId: running.id, service, payload: { to: 'ada@example.com' } });
  const [job] = await repo.claimJobs({ service, workerId, limit: 1, leaseMs });
  if (!job) throw new Error('no job was claimed');
  return job;
}

/** A new job of `campaignId` on `service`, claimed by `w-done`: the caller makes sure it is the only claimable one. */
export async function claimedJobFor(repo: CampaignRepository, campaignId: string, service: string): Promise<Job> {
  const job = await repo.enqueueJob({ campaignId, service });
  const [claimed] = await repo.claimJobs({ service, workerId: 'w-done', limit: 1, leaseMs: 60_000 });
  if (claimed?.id !== job.id) throw new Error('the new job was not the one claimed');
  return claimed;
}

/**
 * `count` jobs of a RUNNING campaign on `service`, claimed and put back PAUSED with `reason` by their worker
 * (as when the breaker refused them): PAUSED with an error, and no fence up.
 */
export async function repausedJobs(
  repo: CampaignRepository,
  campaignId: string,
  service: string,
  count: number,
  reason: string,
): Promise<Job[]> {
  const made = await jobs(repo, campaignId, service, count);
  const claimed = await repo.claimJobs({ service, workerId: 'w-repause', limit: count, leaseMs: 60_000 });
  if (claimed.length !== count) throw new Error(`claimed ${claimed.length} of ${count} jobs`);
  for (const job of claimed) await repo.repauseJob({ jobId: job.id, workerId: 'w-repause', reason });
  return made;
}

export const ids = (list: readonly { id: string }[]) => list.map((item) => item.id);
