/** Campaigns: create, read, move through the transition table, count, and copies. */
import { CAMPAIGN_STATUSES } from '../../domain.js';
import { errorCode, rejectionOf } from '../rejection.js';
import { MISSING_ID, campaign } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function campaignCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo, storedCampaign } = suite;

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
}
