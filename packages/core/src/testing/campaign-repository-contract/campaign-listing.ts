/** Listing campaigns a page at a time, with their status messages: the dashboard's paused campaigns. */
import { campaign } from './contract-suite.js';
import type { ContractSuite } from './contract-suite.js';

export function campaignListingCases(suite: ContractSuite): void {
  const { describe, it, expect } = suite.api;
  const { makeRepo } = suite;

  describe('listing campaigns', () => {
    it('listCampaigns pages through the campaigns of a status in the paused-id order, with their messages', async () => {
      const repo = await makeRepo();
      const paused = [];
      // Ids past 9 and 99 in a numeric column: text order and numeric order differ.
      for (let i = 0; i < 12; i += 1) {
        await campaign(repo, 'RUNNING', `running ${i}`);
        paused.push(await campaign(repo, 'PAUSED', `paused ${i}`));
      }
      await repo.pauseRunningCampaigns({ reason: 'Paused: circuit breaker open for apollo' });

      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await repo.listCampaigns({ status: 'PAUSED', limit: 5, ...(after === undefined ? {} : { after }) });
        if (page.length === 0) break;
        expect(page.every((found) => found.status === 'PAUSED')).toBe(true);
        pages.push(page.map((found) => found.id));
        after = page[page.length - 1]?.id;
      }
      const listed = pages.flat();
      expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 4]);
      expect(new Set(listed).size).toBe(24);
      expect(listed.slice(0, 10)).toEqual(await repo.listPausedCampaignIds({ limit: 10 }));
      for (const found of paused) expect(listed).toContain(found.id);

      const [first] = await repo.listCampaigns({ status: 'PAUSED', limit: 1 });
      expect(first).toMatchObject({ name: 'running 0', statusMessage: 'Paused: circuit breaker open for apollo' });
      expect(first?.createdAt).toBeInstanceOf(Date);
      expect(await repo.listCampaigns({ status: 'COMPLETED', limit: 5 })).toEqual([]);
      expect(await repo.listCampaigns({ limit: 100 })).toHaveLength(24);
    });
  });
}
