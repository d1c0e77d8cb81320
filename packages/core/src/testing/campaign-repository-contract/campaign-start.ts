/**
 * Starting a campaign, and the only way back: `startCampaign` lands in RUNNING or, while a service the
 * campaign needs is fenced, straight in PAUSED, in one atomic step; PAUSED → RUNNING is refused to everyone
 * but `resumeCampaigns` (the manual queue resume).
 */
import { errorCode, rejectionOf } from '../rejection.js';
import { uniqueService } from '../unique-service.js';
import { MISSING_ID, RESUMED, campaign, jobs } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

const pausedMessage = (service: string) => `Paused: circuit breaker open for ${service}`;

export function campaignStartCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedCampaign } = suite;

  describe('starting a campaign, and the only way back', () => {
    it('transitionCampaign refuses PAUSED → RUNNING with an error naming resumeQueue, and changes nothing', async () => {
      const repo = await makeRepo();
      const stillPaused = await campaign(repo, 'PAUSED');
      const error = await rejectionOf(repo.transitionCampaign(stillPaused.id, 'RUNNING', 'resumed by hand'));
      expect(errorCode(error)).toBe('INVALID_TRANSITION');
      expect(error).toMatchObject({ from: 'PAUSED', to: 'RUNNING' });
      expect((error as Error).message).toMatch(/^Invalid campaign state transition: .*resumeQueue/);
      expect(await storedCampaign(repo, stillPaused.id)).toEqual({ status: 'PAUSED', statusMessage: null });
      // resumeCampaigns, the manual queue resume's step, is the way.
      expect(await repo.resumeCampaigns([stillPaused.id], RESUMED)).toEqual([{ id: stillPaused.id, ok: true, jobsResumed: 0 }]);
    });

    it('startCampaign: DRAFT → RUNNING with its message while no fence of its services is up', async () => {
      const repo = await makeRepo();
      const [service, unlisted] = [uniqueService('start'), uniqueService('unlisted')];
      // A fence of a service not in `services` (another deployment's) holds nothing.
      await repo.pauseJobsForService(unlisted, 'not ours');
      const draft = await campaign(repo, 'DRAFT');
      await jobs(repo, draft.id, unlisted, 1);
      const started = await repo.startCampaign({
        id: draft.id,
        services: [service],
        scope: 'all',
        statusMessage: 'Campaign started',
        pausedMessage,
      });
      expect(started).toMatchObject({ id: draft.id, status: 'RUNNING', statusMessage: 'Campaign started' });
      expect(started.updatedAt.getTime()).toBeGreaterThanOrEqual(draft.updatedAt.getTime());
      expect(await storedCampaign(repo, draft.id)).toEqual({ status: 'RUNNING', statusMessage: 'Campaign started' });
    });

    it('startCampaign lands straight in PAUSED while a listed service is fenced, with the first such service’s message', async () => {
      const repo = await makeRepo();
      const [healthy, first, second] = [uniqueService('healthy'), uniqueService('first'), uniqueService('second')];
      await repo.pauseJobsForService(second, 'Circuit breaker open for second');
      await repo.pauseJobsForService(first, 'Circuit breaker open for first');
      const draft = await campaign(repo, 'DRAFT');
      const started = await repo.startCampaign({
        id: draft.id,
        services: [healthy, first, second],
        scope: 'all',
        statusMessage: 'Campaign started',
        pausedMessage,
      });
      expect(started).toMatchObject({ status: 'PAUSED', statusMessage: pausedMessage(first) });
      expect(await storedCampaign(repo, draft.id)).toEqual({ status: 'PAUSED', statusMessage: pausedMessage(first) });
      // It waits for the resume like every paused campaign.
      expect(await repo.listPausedCampaignIds({ limit: 10 })).toContain(draft.id);

      await repo.resumeJobsForService(first);
      await repo.resumeJobsForService(second);
      const later = await campaign(repo, 'DRAFT');
      expect((await repo.startCampaign({ id: later.id, services: [healthy, first, second], scope: 'all', pausedMessage })).status).toBe(
        'RUNNING',
      );
    });

    it("startCampaign with scope 'affected': only the fence of a service it has unfinished jobs on holds it", async () => {
      const repo = await makeRepo();
      const [down, up] = [uniqueService('down'), uniqueService('up')];
      await repo.pauseJobsForService(down, 'Circuit breaker open for down');
      const elsewhere = await campaign(repo, 'DRAFT');
      await jobs(repo, elsewhere.id, up, 2);
      const needsDown = await campaign(repo, 'DRAFT');
      await jobs(repo, needsDown.id, up, 1);
      await jobs(repo, needsDown.id, down, 1);
      const input = { services: [down, up], scope: 'affected' as const, statusMessage: 'go', pausedMessage };

      expect(await repo.startCampaign({ id: elsewhere.id, ...input })).toMatchObject({ status: 'RUNNING', statusMessage: 'go' });
      expect(await repo.startCampaign({ id: needsDown.id, ...input })).toMatchObject({
        status: 'PAUSED',
        statusMessage: pausedMessage(down),
      });
    });

    it('startCampaign refuses a PAUSED campaign (naming resumeQueue), any other but DRAFT, and a missing one', async () => {
      const repo = await makeRepo();
      const service = uniqueService('refused');
      const input = { services: [service], scope: 'all' as const, statusMessage: 'again', pausedMessage };
      const paused = await campaign(repo, 'PAUSED');
      const error = await rejectionOf(repo.startCampaign({ id: paused.id, ...input }));
      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', from: 'PAUSED', to: 'RUNNING' });
      expect((error as Error).message).toContain('resumeQueue');
      expect(await storedCampaign(repo, paused.id)).toEqual({ status: 'PAUSED', statusMessage: null });

      for (const status of ['RUNNING', 'COMPLETED', 'CANCELLED'] as const) {
        const other = await campaign(repo, status);
        const refused = await rejectionOf(repo.startCampaign({ id: other.id, ...input }));
        expect(refused).toMatchObject({ code: 'INVALID_TRANSITION', message: 'Invalid campaign state transition', from: status });
        expect(await storedCampaign(repo, other.id)).toEqual({ status, statusMessage: null });
      }
      expect(errorCode(await rejectionOf(repo.startCampaign({ id: MISSING_ID, ...input })))).toBe('NOT_FOUND');
    });

    it('starts racing a pause (fence, then the campaign step): every campaign is PAUSED once both are done', async () => {
      const repo = await makeRepo();
      const service = uniqueService('racing');
      const drafts = [];
      for (let i = 0; i < 12; i += 1) drafts.push(await campaign(repo, 'DRAFT', `racing ${i}`));
      const cascade = async () => {
        await repo.pauseJobsForService(service, `Circuit breaker open for ${service}`);
        await repo.pauseRunningCampaigns({ reason: pausedMessage(service) });
      };
      const starts = drafts.map((draft) => repo.startCampaign({ id: draft.id, services: [service], scope: 'all', pausedMessage }));
      await Promise.all([...starts.slice(0, 6), cascade(), ...starts.slice(6)]);
      for (const draft of drafts)
        expect(await storedCampaign(repo, draft.id)).toEqual({ status: 'PAUSED', statusMessage: pausedMessage(service) });
    });
  });
}
