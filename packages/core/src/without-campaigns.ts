/**
 * The repository of an instance built without one (`createBreakwater` with no `campaigns`), for adopting
 * Breakwater one step at a time: breakers, queue states, the resume of the queues, the HTTP API and the
 * dashboard all work, with no campaign or job anywhere. The cascade and the resume find nothing of theirs to
 * pause or resume, status counts are zero, and storing a campaign or a job (or making a worker) is refused
 * with an error saying what to add.
 *
 * What changes once a repository is added: campaigns and jobs pause and resume with their services, workers
 * run jobs, and the repository's fences become the durable record of what is paused. Without it, a Redis
 * that loses its state (docs/reliability.md) comes back with nothing paused: run Redis with persistence.
 */
import { CAMPAIGN_STATUSES, JOB_STATUSES, emptyCounts } from './domain.js';
import type { Campaign, CampaignStatus, CountsByStatus, Job, JobStatus } from './domain.js';
import { InvalidOptionsError } from './errors.js';
import type { CampaignRepository, CampaignResumeOutcome, ServiceFence } from './ports.js';

function refused(what: string): Promise<never> {
  return Promise.reject(
    new InvalidOptionsError(
      `${what} needs a campaign repository: pass "campaigns" to createBreakwater (e.g. a PostgresCampaignRepository)`,
    ),
  );
}

export class WithoutCampaigns implements CampaignRepository {
  createCampaign(): Promise<Campaign> {
    return refused('createCampaign');
  }

  transitionCampaign(): Promise<Campaign> {
    return refused('transitionCampaign');
  }

  startCampaign(): Promise<Campaign> {
    return refused('startCampaign');
  }

  enqueueJob(): Promise<Job> {
    return refused('enqueueJob');
  }

  enqueueJobs(): Promise<Job[]> {
    return refused('enqueueJobs');
  }

  async getCampaign(): Promise<Campaign | null> {
    return null;
  }

  async listCampaigns(): Promise<Campaign[]> {
    return [];
  }

  async countCampaignsByStatus(): Promise<CountsByStatus<CampaignStatus>> {
    return emptyCounts(CAMPAIGN_STATUSES);
  }

  async getJob(): Promise<Job | null> {
    return null;
  }

  async listJobs(): Promise<Job[]> {
    return [];
  }

  async countJobsByStatus(): Promise<CountsByStatus<JobStatus>> {
    return emptyCounts(JOB_STATUSES);
  }

  async pauseJobsForService(): Promise<number> {
    return 0;
  }

  async pauseRunningCampaigns(): Promise<number> {
    return 0;
  }

  /** No durable record: nothing is known to be paused beyond what the stores hold. */
  async readPauseState(): Promise<ServiceFence[]> {
    return [];
  }

  async resumeJobsForService(): Promise<number> {
    return 0;
  }

  async listPausedCampaignIds(): Promise<string[]> {
    return [];
  }

  async resumeCampaigns(ids: readonly string[]): Promise<CampaignResumeOutcome[]> {
    return ids.map((id) => ({ id, ok: false, error: `Campaign ${id} not found` }));
  }

  async claimJobs(): Promise<Job[]> {
    return [];
  }

  async completeJob(): Promise<boolean> {
    return false;
  }

  async completeJobs(input: { jobs: readonly unknown[] }): Promise<boolean[]> {
    return input.jobs.map(() => false);
  }

  async completeAndClaimJobs(input: { completions: readonly unknown[] }): Promise<{ completed: boolean[]; claimed: Job[] }> {
    return { completed: input.completions.map(() => false), claimed: [] };
  }

  async pruneCompletedJobs(): Promise<number> {
    return 0;
  }

  async failJob(): Promise<boolean> {
    return false;
  }

  async repauseJob(): Promise<boolean> {
    return false;
  }

  async releaseJob(): Promise<boolean> {
    return false;
  }

  async releaseExpiredLeases(): Promise<number> {
    return 0;
  }
}
