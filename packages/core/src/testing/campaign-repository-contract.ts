/**
 * The CampaignRepository contract. `makeRepo` must return an EMPTY repository each time
 * (fresh tables or truncated ones): campaign counts and paused-campaign listings are global.
 * Leases and retry delays are tested with short real durations, because real servers keep their own time.
 */
import { randomUUID } from 'node:crypto';
import { CAMPAIGN_STATUSES, JOB_STATUSES } from '../domain.js';
import type { Campaign, CampaignStatus, Job } from '../domain.js';
import type { CampaignRepository, RepositoryChange } from '../ports.js';
import { errorCode, rejectionOf } from './rejection.js';
import type { TestApi } from './test-api.js';
import { uniqueService } from './unique-service.js';
import { sleep, waitUntil } from './waiting.js';

export interface CampaignRepositoryContractOptions {
  /** Makes this campaign's resume fail inside the store, the way a trigger raising `message` would. */
  failCampaignResume?: (repo: CampaignRepository, campaignId: string, message: string) => Promise<void>;
  /** Reads a campaign row back bypassing the adapter. */
  readCampaignRaw?: (repo: CampaignRepository, id: string) => Promise<{ status: string; statusMessage: string | null }>;
  /** Reads a job row back bypassing the adapter. */
  readJobRaw?: (repo: CampaignRepository, id: string) => Promise<{ status: string; error: string | null; attempts: number }>;
}

/** An id no fresh repository has handed out. */
const MISSING_ID = '987654321';
const RESUMED = 'Campaign resumed - services are available';

export function campaignRepositoryContract(
  api: TestApi,
  makeRepo: () => CampaignRepository | Promise<CampaignRepository>,
  options: CampaignRepositoryContractOptions = {},
): void {
  const { describe, it, expect } = api;

  /** The stored campaign: through the raw reader when there is one, else through the port. */
  async function storedCampaign(repo: CampaignRepository, id: string) {
    if (options.readCampaignRaw) return options.readCampaignRaw(repo, id);
    const campaign = await repo.getCampaign(id);
    if (!campaign) throw new Error(`campaign ${id} is missing`);
    return { status: campaign.status as string, statusMessage: campaign.statusMessage };
  }

  async function storedJob(repo: CampaignRepository, id: string) {
    if (options.readJobRaw) return options.readJobRaw(repo, id);
    const job = await repo.getJob(id);
    if (!job) throw new Error(`job ${id} is missing`);
    return { status: job.status as string, error: job.error, attempts: job.attempts };
  }

  async function campaign(repo: CampaignRepository, status: CampaignStatus, name = `campaign ${status}`): Promise<Campaign> {
    return repo.createCampaign({ name, status });
  }

  async function jobs(
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
  async function claimedJob(repo: CampaignRepository, service: string, workerId: string, leaseMs = 60_000): Promise<Job> {
    const running = await campaign(repo, 'RUNNING');
    await repo.enqueueJob({ campaignId: running.id, service, payload: { to: 'ada@example.com' } });
    const [job] = await repo.claimJobs({ service, workerId, limit: 1, leaseMs });
    if (!job) throw new Error('no job was claimed');
    return job;
  }

  const ids = (list: readonly { id: string }[]) => list.map((item) => item.id);

  describe('CampaignRepository contract', () => {
    describe('campaigns', () => {
      it('createCampaign: DRAFT by default, or the status given; getCampaign reads it back', async () => {
        const repo = await makeRepo();
        const draft = await repo.createCampaign({ name: 'Q3 outreach' });
        expect(draft).toMatchObject({ name: 'Q3 outreach', status: 'DRAFT', statusMessage: null });
        expect(typeof draft.id).toBe('string');
        expect(draft.createdAt).toBeInstanceOf(Date);
        expect(draft.updatedAt).toBeInstanceOf(Date);
        expect(await repo.getCampaign(draft.id)).toEqual(draft);

        const running = await repo.createCampaign({ name: 'already running', status: 'RUNNING' });
        expect(running.status).toBe('RUNNING');
        expect(running.id).not.toBe(draft.id);
        expect(await storedCampaign(repo, running.id)).toEqual({ status: 'RUNNING', statusMessage: null });
        expect(await repo.getCampaign(MISSING_ID)).toBeNull();
      });

      it('transitionCampaign follows the table and sets, keeps or clears the status message', async () => {
        const repo = await makeRepo();
        const created = await campaign(repo, 'DRAFT');
        const running = await repo.transitionCampaign(created.id, 'RUNNING', 'started by ada');
        expect(running).toMatchObject({ id: created.id, status: 'RUNNING', statusMessage: 'started by ada' });
        expect(running.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
        expect(await storedCampaign(repo, created.id)).toEqual({ status: 'RUNNING', statusMessage: 'started by ada' });

        // No message given leaves the message as it is; null clears it.
        const paused = await repo.transitionCampaign(created.id, 'PAUSED');
        expect(paused).toMatchObject({ status: 'PAUSED', statusMessage: 'started by ada' });
        const completed = await repo.transitionCampaign(created.id, 'FAILED', null);
        expect(completed).toMatchObject({ status: 'FAILED', statusMessage: null });
        expect(await storedCampaign(repo, created.id)).toEqual({ status: 'FAILED', statusMessage: null });
      });

      it('transitionCampaign refuses a move the table does not allow, and changes nothing', async () => {
        const repo = await makeRepo();
        const created = await campaign(repo, 'RUNNING');
        const error = await rejectionOf(repo.transitionCampaign(created.id, 'DRAFT', 'back to draft'));
        expect(errorCode(error)).toBe('INVALID_TRANSITION');
        expect((error as Error).message).toBe('Invalid campaign state transition');
        expect(await storedCampaign(repo, created.id)).toEqual({ status: 'RUNNING', statusMessage: null });

        const done = await campaign(repo, 'COMPLETED');
        expect(errorCode(await rejectionOf(repo.transitionCampaign(done.id, 'RUNNING')))).toBe('INVALID_TRANSITION');
      });

      it('transitionCampaign on a missing campaign is NotFoundError', async () => {
        const repo = await makeRepo();
        expect(errorCode(await rejectionOf(repo.transitionCampaign(MISSING_ID, 'RUNNING')))).toBe('NOT_FOUND');
      });

      it('countCampaignsByStatus has every status as a key, zero when none', async () => {
        const repo = await makeRepo();
        const zero = Object.fromEntries(CAMPAIGN_STATUSES.map((s) => [s, 0]));
        expect(await repo.countCampaignsByStatus()).toEqual(zero);
        await campaign(repo, 'RUNNING');
        await campaign(repo, 'RUNNING');
        await campaign(repo, 'PAUSED');
        await campaign(repo, 'DRAFT');
        expect(await repo.countCampaignsByStatus()).toEqual({ ...zero, RUNNING: 2, PAUSED: 1, DRAFT: 1 });
      });

      it('returns copies: editing a returned campaign changes nothing stored', async () => {
        const repo = await makeRepo();
        const created = await campaign(repo, 'RUNNING', 'original');
        created.status = 'FAILED';
        created.name = 'edited';
        const got = await repo.getCampaign(created.id);
        if (got) got.statusMessage = 'edited';
        expect(await repo.getCampaign(created.id)).toMatchObject({ name: 'original', status: 'RUNNING', statusMessage: null });
      });
    });

    describe('jobs', () => {
      it('enqueueJob: PENDING with no attempts, its payload stored; getJob reads it back', async () => {
        const repo = await makeRepo();
        const owner = await campaign(repo, 'RUNNING');
        const service = uniqueService('enqueue');
        const payload = { lead: { email: 'ada@example.com', tags: ['cto', 'fintech'] }, step: 2 };
        const job = await repo.enqueueJob({ campaignId: owner.id, service, payload });
        expect(job).toMatchObject({
          campaignId: owner.id,
          service,
          status: 'PENDING',
          error: null,
          payload,
          attempts: 0,
          leaseOwner: null,
          leaseExpiresAt: null,
        });
        expect(typeof job.id).toBe('string');
        expect(job.availableAt).toBeInstanceOf(Date);
        expect(job.createdAt).toBeInstanceOf(Date);
        expect(await repo.getJob(job.id)).toEqual(job);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
        expect(await repo.getJob(MISSING_ID)).toBeNull();

        const paused = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PAUSED' });
        expect(paused).toMatchObject({ status: 'PAUSED', payload: null, result: null });
        expect(paused.id).not.toBe(job.id);
      });

      it('enqueueJob on a missing campaign is NotFoundError', async () => {
        const repo = await makeRepo();
        const error = await rejectionOf(repo.enqueueJob({ campaignId: MISSING_ID, service: uniqueService('x') }));
        expect(errorCode(error)).toBe('NOT_FOUND');
      });

      it('enqueueJob while the service is paused: PAUSED with the pause reason, until its jobs resume', async () => {
        const repo = await makeRepo();
        const owner = await campaign(repo, 'RUNNING');
        const [fenced, other] = [uniqueService('fenced'), uniqueService('other')];
        await repo.pauseJobsForService(fenced, 'Circuit breaker open for apollo');

        const paused = await repo.enqueueJob({ campaignId: owner.id, service: fenced });
        expect(paused).toMatchObject({ status: 'PAUSED', error: 'Circuit breaker open for apollo' });
        expect(await storedJob(repo, paused.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo', attempts: 0 });
        expect((await repo.enqueueJob({ campaignId: owner.id, service: other })).status).toBe('PENDING');

        await repo.resumeJobsForService(fenced);
        expect(await repo.enqueueJob({ campaignId: owner.id, service: fenced })).toMatchObject({ status: 'PENDING', error: null });
      });

      it('listJobs filters by campaign, service and status, oldest first, up to a limit', async () => {
        const repo = await makeRepo();
        const [a, b] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
        const [s1, s2] = [uniqueService('s1'), uniqueService('s2')];
        const a1 = await jobs(repo, a.id, s1, 3);
        const a2 = await jobs(repo, a.id, s2, 1, 'PAUSED');
        const b1 = await jobs(repo, b.id, s1, 2);

        expect(ids(await repo.listJobs())).toEqual(ids([...a1, ...a2, ...b1]));
        expect(ids(await repo.listJobs({ campaignId: a.id }))).toEqual(ids([...a1, ...a2]));
        expect(ids(await repo.listJobs({ service: s1 }))).toEqual(ids([...a1, ...b1]));
        expect(ids(await repo.listJobs({ status: 'PAUSED' }))).toEqual(ids(a2));
        expect(ids(await repo.listJobs({ campaignId: b.id, service: s1, status: 'PENDING' }))).toEqual(ids(b1));
        expect(ids(await repo.listJobs({ service: s1, limit: 2 }))).toEqual(ids(a1.slice(0, 2)));
        expect(await repo.listJobs({ campaignId: b.id, service: s2 })).toEqual([]);
      });

      it('countJobsByStatus has every status as a key, overall or for one service', async () => {
        const repo = await makeRepo();
        const zero = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]));
        expect(await repo.countJobsByStatus()).toEqual(zero);
        const owner = await campaign(repo, 'RUNNING');
        const [s1, s2] = [uniqueService('s1'), uniqueService('s2')];
        await jobs(repo, owner.id, s1, 3);
        await jobs(repo, owner.id, s2, 2, 'PAUSED');
        await repo.claimJobs({ service: s1, workerId: 'w', limit: 1, leaseMs: 60_000 });

        expect(await repo.countJobsByStatus()).toEqual({ ...zero, PENDING: 2, PROCESSING: 1, PAUSED: 2 });
        expect(await repo.countJobsByStatus({ service: s1 })).toEqual({ ...zero, PENDING: 2, PROCESSING: 1 });
        expect(await repo.countJobsByStatus({ service: uniqueService('none') })).toEqual(zero);
      });

      it('returns copies: editing a returned job changes nothing stored', async () => {
        const repo = await makeRepo();
        const owner = await campaign(repo, 'RUNNING');
        const job = await repo.enqueueJob({ campaignId: owner.id, service: uniqueService('copy'), payload: { tags: ['a'] } });
        job.status = 'FAILED';
        (job.payload as { tags: string[] }).tags.push('b');
        const [listed] = await repo.listJobs({ campaignId: owner.id });
        if (listed) listed.attempts = 7;
        expect(await repo.getJob(job.id)).toMatchObject({ status: 'PENDING', payload: { tags: ['a'] }, attempts: 0 });
      });
    });

    describe('pause and resume of a service', () => {
      it('pauseJobsForService pauses only its PENDING jobs with the reason; resumeJobsForService brings them back', async () => {
        const repo = await makeRepo();
        const owner = await campaign(repo, 'RUNNING');
        const [service, other] = [uniqueService('paused'), uniqueService('untouched')];
        const processing = await claimedJob(repo, service, 'worker-1');
        const pending = await jobs(repo, owner.id, service, 3);
        const elsewhere = await jobs(repo, owner.id, other, 2);

        expect(await repo.pauseJobsForService(service, 'Circuit breaker open for apollo: 503')).toBe(3);
        for (const job of pending)
          expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo: 503', attempts: 0 });
        expect((await storedJob(repo, processing.id)).status).toBe('PROCESSING');
        for (const job of elsewhere) expect((await storedJob(repo, job.id)).status).toBe('PENDING');
        expect(await repo.pauseJobsForService(service, 'again')).toBe(0);

        expect(await repo.resumeJobsForService(service)).toBe(3);
        for (const job of pending) expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
        expect((await storedJob(repo, processing.id)).status).toBe('PROCESSING');
        expect(await repo.resumeJobsForService(service)).toBe(0);
      });

      it('the fence: nothing of a paused service is claimed, even jobs enqueued as PENDING, until it resumes', async () => {
        const repo = await makeRepo();
        const owner = await campaign(repo, 'RUNNING');
        const [service, other] = [uniqueService('fenced'), uniqueService('free')];
        await jobs(repo, owner.id, service, 2);
        await jobs(repo, owner.id, other, 1);
        await repo.pauseJobsForService(service, 'down');
        const explicit = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PENDING' });
        expect(explicit.status).toBe('PENDING');

        expect(await repo.claimJobs({ service, workerId: 'w', limit: 10, leaseMs: 60_000 })).toEqual([]);
        expect(await repo.claimJobs({ service: other, workerId: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(1);

        await repo.resumeJobsForService(service);
        expect(await repo.claimJobs({ service, workerId: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(3);
      });

      it('pauseRunningCampaigns pauses every RUNNING campaign with the reason, and nothing else', async () => {
        const repo = await makeRepo();
        const running = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
        const others = [await campaign(repo, 'DRAFT'), await campaign(repo, 'COMPLETED'), await campaign(repo, 'PAUSED')];

        expect(await repo.pauseRunningCampaigns({ reason: 'Paused: circuit breaker open for apollo' })).toBe(2);
        for (const c of running)
          expect(await storedCampaign(repo, c.id)).toEqual({ status: 'PAUSED', statusMessage: 'Paused: circuit breaker open for apollo' });
        expect(await storedCampaign(repo, others[0]?.id ?? '')).toEqual({ status: 'DRAFT', statusMessage: null });
        expect(await storedCampaign(repo, others[1]?.id ?? '')).toEqual({ status: 'COMPLETED', statusMessage: null });
        expect(await storedCampaign(repo, others[2]?.id ?? '')).toEqual({ status: 'PAUSED', statusMessage: null });
        expect(await repo.pauseRunningCampaigns({ reason: 'again' })).toBe(0);
      });

      it('pauseRunningCampaigns with a service pauses only RUNNING campaigns with unfinished jobs on it', async () => {
        const repo = await makeRepo();
        const [service, other] = [uniqueService('scoped'), uniqueService('other')];
        // Each claim below takes the only claimable job of the service at that moment.
        const finished = await campaign(repo, 'RUNNING', 'finished');
        const done = await claimedJobFor(repo, finished.id, service);
        expect(await repo.completeJob({ jobId: done.id, workerId: 'w-done', result: null })).toBe(true);
        const withProcessing = await campaign(repo, 'RUNNING', 'processing');
        await claimedJobFor(repo, withProcessing.id, service);
        const withPending = await campaign(repo, 'RUNNING', 'pending');
        await jobs(repo, withPending.id, service, 1);
        const withPaused = await campaign(repo, 'RUNNING', 'paused job');
        await jobs(repo, withPaused.id, service, 1, 'PAUSED');
        const onlyOther = await campaign(repo, 'RUNNING', 'other service');
        await jobs(repo, onlyOther.id, other, 1);
        const noJobs = await campaign(repo, 'RUNNING', 'no jobs');

        expect(await repo.pauseRunningCampaigns({ reason: 'apollo is down', service })).toBe(3);
        for (const c of [withPending, withPaused, withProcessing])
          expect(await storedCampaign(repo, c.id)).toEqual({ status: 'PAUSED', statusMessage: 'apollo is down' });
        for (const c of [onlyOther, finished, noJobs]) expect((await storedCampaign(repo, c.id)).status).toBe('RUNNING');
      });
    });

    describe('resuming campaigns', () => {
      it('listPausedCampaignIds pages through every PAUSED campaign exactly once, even while they resume', async () => {
        const repo = await makeRepo();
        const paused: string[] = [];
        for (let i = 0; i < 7; i++) {
          paused.push((await campaign(repo, 'PAUSED')).id);
          await campaign(repo, i % 2 === 0 ? 'RUNNING' : 'DRAFT');
        }
        const seen: string[] = [];
        let after: string | undefined;
        for (let round = 0; round < 10; round++) {
          const page = await repo.listPausedCampaignIds({ ...(after === undefined ? {} : { after }), limit: 3 });
          expect(page.length).toBeLessThanOrEqual(3);
          if (page.length === 0) break;
          seen.push(...page);
          after = page[page.length - 1];
          // The resume loop resumes what it has read before asking for the next page.
          await repo.resumeCampaigns(page.slice(0, 1), RESUMED);
        }
        expect([...seen].sort()).toEqual([...paused].sort());
        expect(new Set(seen).size).toBe(seen.length);
        expect(await repo.listPausedCampaignIds({ limit: 100 })).toHaveLength(7 - 3);
      });

      it('resumeCampaigns: PAUSED → RUNNING with the message, its PAUSED jobs → PENDING with errors cleared', async () => {
        const repo = await makeRepo();
        const service = uniqueService('resume');
        const target = await campaign(repo, 'RUNNING');
        const done = await claimedJobFor(repo, target.id, service);
        await repo.completeJob({ jobId: done.id, workerId: 'w-done', result: { ok: true } });
        const pausedJobs = await jobs(repo, target.id, service, 3);
        await repo.pauseJobsForService(service, 'apollo down');
        await repo.pauseRunningCampaigns({ reason: 'Paused: apollo down' });
        const before = await repo.getCampaign(target.id);
        const bystander = await campaign(repo, 'RUNNING');
        const bystanderJob = await repo.enqueueJob({ campaignId: bystander.id, service: uniqueService('b'), status: 'PAUSED' });

        const outcomes = await repo.resumeCampaigns([target.id], RESUMED);
        expect(outcomes).toEqual([{ id: target.id, ok: true, jobsResumed: 3 }]);
        expect(await storedCampaign(repo, target.id)).toEqual({ status: 'RUNNING', statusMessage: RESUMED });
        const after = await repo.getCampaign(target.id);
        expect(after?.updatedAt.getTime() ?? 0).toBeGreaterThanOrEqual(before?.updatedAt.getTime() ?? Infinity);
        for (const job of pausedJobs) expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
        expect((await storedJob(repo, done.id)).status).toBe('COMPLETED');
        expect((await storedJob(repo, bystanderJob.id)).status).toBe('PAUSED');
      });

      it('resumeCampaigns: one outcome per id in order; a campaign no longer PAUSED or missing fails alone', async () => {
        const repo = await makeRepo();
        const service = uniqueService('mixed');
        const first = await campaign(repo, 'PAUSED');
        await jobs(repo, first.id, service, 2, 'PAUSED');
        const running = await campaign(repo, 'RUNNING');
        const runningJob = await repo.enqueueJob({ campaignId: running.id, service, status: 'PAUSED' });
        const last = await campaign(repo, 'PAUSED');
        await jobs(repo, last.id, service, 1, 'PAUSED');
        // The table allows DRAFT → RUNNING, but only a PAUSED campaign is resumed.
        const draft = await campaign(repo, 'DRAFT');
        const draftJob = await repo.enqueueJob({ campaignId: draft.id, service, status: 'PAUSED' });

        const outcomes = await repo.resumeCampaigns([last.id, running.id, MISSING_ID, draft.id, first.id], RESUMED);
        expect(outcomes.map((o) => o.id)).toEqual([last.id, running.id, MISSING_ID, draft.id, first.id]);
        expect(outcomes[0]).toEqual({ id: last.id, ok: true, jobsResumed: 1 });
        expect(outcomes[1]).toEqual({ id: running.id, ok: false, error: 'Invalid campaign state transition' });
        expect(outcomes[2]).toMatchObject({ id: MISSING_ID, ok: false });
        expect(outcomes[2]?.ok === false ? outcomes[2].error : '').toMatch(/not found/i);
        expect(outcomes[3]).toEqual({ id: draft.id, ok: false, error: 'Invalid campaign state transition' });
        expect(outcomes[4]).toEqual({ id: first.id, ok: true, jobsResumed: 2 });
        // The campaigns that failed and their jobs are as they were.
        expect(await storedCampaign(repo, running.id)).toEqual({ status: 'RUNNING', statusMessage: null });
        expect((await storedJob(repo, runningJob.id)).status).toBe('PAUSED');
        expect(await storedCampaign(repo, draft.id)).toEqual({ status: 'DRAFT', statusMessage: null });
        expect((await storedJob(repo, draftJob.id)).status).toBe('PAUSED');
        expect(await repo.resumeCampaigns([], RESUMED)).toEqual([]);
      });

      if (options.failCampaignResume) {
        const failCampaignResume = options.failCampaignResume;
        it('resumeCampaigns: a campaign whose resume fails in the store stays exactly as it was; the others resume', async () => {
          const repo = await makeRepo();
          const service = uniqueService('trigger');
          const campaigns = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
          const jobsOf = new Map<string, Job[]>();
          for (const c of campaigns) jobsOf.set(c.id, await jobs(repo, c.id, service, 2));
          await repo.pauseJobsForService(service, 'apollo down');
          await repo.pauseRunningCampaigns({ reason: 'Paused: apollo down' });
          const [ok1, broken, ok2] = campaigns.map((c) => c.id) as [string, string, string];
          const message = `constraint violated ${randomUUID().slice(0, 8)}`;
          await failCampaignResume(repo, broken, message);

          const outcomes = await repo.resumeCampaigns([ok1, broken, ok2], RESUMED);
          expect(outcomes[0]).toEqual({ id: ok1, ok: true, jobsResumed: 2 });
          expect(outcomes[1]).toMatchObject({ id: broken, ok: false });
          expect(outcomes[1]?.ok === false ? outcomes[1].error : '').toContain(message);
          expect(outcomes[2]).toEqual({ id: ok2, ok: true, jobsResumed: 2 });

          expect(await storedCampaign(repo, broken)).toEqual({ status: 'PAUSED', statusMessage: 'Paused: apollo down' });
          for (const job of jobsOf.get(broken) ?? [])
            expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'apollo down', attempts: 0 });
          for (const id of [ok1, ok2]) {
            expect(await storedCampaign(repo, id)).toEqual({ status: 'RUNNING', statusMessage: RESUMED });
            for (const job of jobsOf.get(id) ?? [])
              expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
          }
        });
      }

      it('resumeJobsForService handles thousands of jobs', async () => {
        const repo = await makeRepo();
        const service = uniqueService('bulk');
        const [even, odd] = [await campaign(repo, 'RUNNING'), await campaign(repo, 'RUNNING')];
        const total = 2_500;
        for (let start = 0; start < total; start += 100) {
          await Promise.all(
            Array.from({ length: Math.min(100, total - start) }, (_, i) =>
              repo.enqueueJob({ campaignId: (start + i) % 2 === 0 ? even.id : odd.id, service, payload: { n: start + i } }),
            ),
          );
        }
        expect(await repo.pauseJobsForService(service, 'bulk pause')).toBe(total);
        expect(await repo.resumeJobsForService(service)).toBe(total);
        const counts = await repo.countJobsByStatus({ service });
        expect(counts.PENDING).toBe(total);
        expect(counts.PAUSED).toBe(0);
        expect(await repo.listJobs({ service, status: 'PENDING', limit: 5 })).toMatchObject(
          Array.from({ length: 5 }, () => ({ error: null })),
        );
      }, 60_000);
    });

    describe('worker claims', () => {
      it('claimJobs: oldest PENDING jobs of the service whose campaign is RUNNING, up to the limit', async () => {
        const repo = await makeRepo();
        const [service, other] = [uniqueService('claim'), uniqueService('other')];
        const running = await campaign(repo, 'RUNNING');
        const paused = await campaign(repo, 'PAUSED');
        const draft = await campaign(repo, 'DRAFT');
        await jobs(repo, paused.id, service, 2);
        await jobs(repo, draft.id, service, 1);
        const claimable = await jobs(repo, running.id, service, 3);
        await jobs(repo, running.id, service, 1, 'PAUSED');
        await jobs(repo, running.id, other, 1);

        const before = Date.now();
        const first = await repo.claimJobs({ service, workerId: 'worker-1', limit: 2, leaseMs: 60_000 });
        expect(ids(first)).toEqual(ids(claimable.slice(0, 2)));
        for (const job of first) {
          expect(job).toMatchObject({ status: 'PROCESSING', leaseOwner: 'worker-1', attempts: 1, service });
          expect(job.leaseExpiresAt?.getTime() ?? 0).toBeGreaterThan(before + 30_000);
          expect(await storedJob(repo, job.id)).toEqual({ status: 'PROCESSING', error: null, attempts: 1 });
        }
        const rest = await repo.claimJobs({ service, workerId: 'worker-2', limit: 10, leaseMs: 60_000 });
        expect(ids(rest)).toEqual(ids(claimable.slice(2)));
        expect(await repo.claimJobs({ service, workerId: 'worker-3', limit: 10, leaseMs: 60_000 })).toEqual([]);
      });

      it('a job whose lease expired is claimed again, and its first worker has lost it', async () => {
        const repo = await makeRepo();
        const service = uniqueService('lease');
        const job = await claimedJob(repo, service, 'crashed', 100);
        expect(await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 })).toEqual([]);
        await sleep(250);
        const [reclaimed] = await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 });
        expect(reclaimed).toMatchObject({ id: job.id, status: 'PROCESSING', leaseOwner: 'rescuer', attempts: 2 });
        expect(await repo.completeJob({ jobId: job.id, workerId: 'crashed', result: 'late' })).toBe(false);
        expect(await repo.completeJob({ jobId: job.id, workerId: 'rescuer', result: 'done' })).toBe(true);
      }, 10_000);

      it('an expired lease is not reclaimed while the service is paused', async () => {
        const repo = await makeRepo();
        const service = uniqueService('lease-fenced');
        await claimedJob(repo, service, 'crashed', 100);
        await repo.pauseJobsForService(service, 'down');
        await sleep(250);
        expect(await repo.claimJobs({ service, workerId: 'rescuer', limit: 1, leaseMs: 60_000 })).toEqual([]);
      }, 10_000);

      it('concurrency: 5 claimers at once never receive the same job', async () => {
        const repo = await makeRepo();
        const service = uniqueService('race-claim');
        const owner = await campaign(repo, 'RUNNING');
        const all = await jobs(repo, owner.id, service, 30);
        const claimer = async (workerId: string) => {
          const mine: Job[] = [];
          for (;;) {
            const batch = await repo.claimJobs({ service, workerId, limit: 4, leaseMs: 60_000 });
            if (batch.length === 0) return mine;
            mine.push(...batch);
          }
        };
        const perWorker = await Promise.all(['w1', 'w2', 'w3', 'w4', 'w5'].map(claimer));
        const claimed = perWorker.flat();
        expect(claimed).toHaveLength(30);
        expect(new Set(ids(claimed)).size).toBe(30);
        expect([...ids(claimed)].sort()).toEqual([...ids(all)].sort());
        expect(claimed.every((job) => job.attempts === 1)).toBe(true);
        perWorker.forEach((mine, i) => expect(mine.every((job) => job.leaseOwner === `w${i + 1}`)).toBe(true));
      });

      it('completeJob: COMPLETED with the result, only for the worker holding it', async () => {
        const repo = await makeRepo();
        const job = await claimedJob(repo, uniqueService('complete'), 'worker-1');
        expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-2', result: 'stolen' })).toBe(false);
        expect((await storedJob(repo, job.id)).status).toBe('PROCESSING');

        expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-1', result: { leadId: 'L-1' } })).toBe(true);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'COMPLETED', error: null, attempts: 1 });
        expect(await repo.getJob(job.id)).toMatchObject({ status: 'COMPLETED', result: { leadId: 'L-1' }, leaseOwner: null });
        expect(await repo.completeJob({ jobId: job.id, workerId: 'worker-1', result: 'twice' })).toBe(false);
        expect(await repo.completeJob({ jobId: MISSING_ID, workerId: 'worker-1', result: null })).toBe(false);
      });

      it('failJob with a retry delay: PENDING again, not claimable until the delay has passed', async () => {
        const repo = await makeRepo();
        const service = uniqueService('retry');
        const job = await claimedJob(repo, service, 'worker-1');
        expect(await repo.failJob({ jobId: job.id, workerId: 'worker-2', error: 'x', retryInMs: 0 })).toBe(false);

        expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'HTTP 500', retryInMs: 200 })).toBe(true);
        expect(await storedJob(repo, job.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
        expect(await repo.getJob(job.id)).toMatchObject({ status: 'PENDING', leaseOwner: null });
        expect(await repo.claimJobs({ service, workerId: 'worker-1', limit: 1, leaseMs: 60_000 })).toEqual([]);
        await sleep(350);
        expect(await repo.claimJobs({ service, workerId: 'worker-1', limit: 1, leaseMs: 60_000 })).toMatchObject([
          { id: job.id, attempts: 2 },
        ]);
      }, 10_000);

      it('failJob without a retry: FAILED with the error', async () => {
        const repo = await makeRepo();
        const job = await claimedJob(repo, uniqueService('fail'), 'worker-1');
        expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'invalid email', retryInMs: null })).toBe(true);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'FAILED', error: 'invalid email', attempts: 1 });
        expect(await repo.failJob({ jobId: job.id, workerId: 'worker-1', error: 'again', retryInMs: null })).toBe(false);
      });

      it('repauseJob: PAUSED with the reason and the attempt given back; resumes with its service', async () => {
        const repo = await makeRepo();
        const service = uniqueService('repause');
        const job = await claimedJob(repo, service, 'worker-1');
        expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-2', reason: 'x' })).toBe(false);
        expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-1', reason: 'Circuit breaker open for apollo' })).toBe(true);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PAUSED', error: 'Circuit breaker open for apollo', attempts: 0 });
        expect(await repo.repauseJob({ jobId: job.id, workerId: 'worker-1', reason: 'again' })).toBe(false);

        expect(await repo.resumeJobsForService(service)).toBe(1);
        expect(await storedJob(repo, job.id)).toEqual({ status: 'PENDING', error: null, attempts: 0 });
      });

      it('releaseExpiredLeases: expired PROCESSING jobs → PENDING, attempts kept, per service or all', async () => {
        const repo = await makeRepo();
        const [a, b, c] = [uniqueService('a'), uniqueService('b'), uniqueService('c')];
        const jobA = await claimedJob(repo, a, 'crashed', 100);
        const jobB = await claimedJob(repo, b, 'crashed', 100);
        const jobC = await claimedJob(repo, c, 'alive', 60_000);
        await sleep(250);

        expect(await repo.releaseExpiredLeases({ service: a })).toBe(1);
        expect(await storedJob(repo, jobA.id)).toEqual({ status: 'PENDING', error: null, attempts: 1 });
        expect(await repo.getJob(jobA.id)).toMatchObject({ leaseOwner: null });
        expect((await storedJob(repo, jobB.id)).status).toBe('PROCESSING');

        expect(await repo.releaseExpiredLeases()).toBe(1);
        expect((await storedJob(repo, jobB.id)).status).toBe('PENDING');
        expect((await storedJob(repo, jobC.id)).status).toBe('PROCESSING');
        expect(await repo.releaseExpiredLeases()).toBe(0);
      }, 10_000);
    });

    it('subscribe (when the adapter has it) reports every enqueued job until unsubscribed', async () => {
      const repo = await makeRepo();
      if (!repo.subscribe) return;
      const owner = await campaign(repo, 'RUNNING');
      const service = uniqueService('notify');
      const seen: RepositoryChange[] = [];
      const unsubscribe = repo.subscribe((change) => {
        if (change.service === service) seen.push(change);
      });
      try {
        const first = await repo.enqueueJob({ campaignId: owner.id, service });
        const second = await repo.enqueueJob({ campaignId: owner.id, service, status: 'PAUSED' });
        expect(await waitUntil(() => seen.length >= 2)).toBe(true);
        expect([...seen].sort((x, y) => x.jobId.localeCompare(y.jobId))).toEqual(
          [first, second].map((job) => ({ kind: 'job-enqueued', service, jobId: job.id })).sort((x, y) => x.jobId.localeCompare(y.jobId)),
        );
      } finally {
        unsubscribe();
      }
      await repo.enqueueJob({ campaignId: owner.id, service });
      await sleep(100);
      expect(seen).toHaveLength(2);
    }, 10_000);
  });

  /** A new job of `campaignId` on `service`, claimed by `w-done`: the caller makes sure it is the only claimable one. */
  async function claimedJobFor(repo: CampaignRepository, campaignId: string, service: string): Promise<Job> {
    const job = await repo.enqueueJob({ campaignId, service });
    const [claimed] = await repo.claimJobs({ service, workerId: 'w-done', limit: 1, leaseMs: 60_000 });
    if (claimed?.id !== job.id) throw new Error('the new job was not the one claimed');
    return claimed;
  }
}
