import { describe, expect, it } from 'vitest';
import type { CampaignRepository } from '../ports.js';
import { campaignRepositoryContract } from '../testing/index.js';
import { InMemoryCampaignRepository } from './in-memory-campaign-repository.js';

/** Per repository: campaign id → the message its resume fails with, consulted by the hook like a trigger. */
const failingResumes = new WeakMap<CampaignRepository, Map<string, string>>();

function makeRepo(): CampaignRepository {
  const failures = new Map<string, string>();
  const repo = new InMemoryCampaignRepository({
    beforeCampaignResume: (campaign) => {
      const message = failures.get(campaign.id);
      if (message !== undefined) throw new Error(message);
    },
  });
  failingResumes.set(repo, failures);
  return repo;
}

campaignRepositoryContract({ describe, it, expect }, makeRepo, {
  subscribe: true,
  failCampaignResume: async (repo, campaignId, message) => {
    failingResumes.get(repo)?.set(campaignId, message);
  },
});
