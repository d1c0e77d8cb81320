import {
  type Breakwater,
  type BreakwaterOptions,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  createBreakwater,
} from '@breakwater/core';
import { recordingLogger } from './recording-logger';

export const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'] as const;

/**
 * The numbers of docs/manual-resume.md's examples: 8 running campaigns whose 45 jobs wait on apollo (15) and perplexity (30),
 * so when both breakers open, the cascade pauses 8 campaigns and 45 jobs.
 */
export async function documentScenario({
  repository,
  ...options
}: Partial<BreakwaterOptions> & { repository?: InMemoryCampaignRepository } = {}) {
  const logger = recordingLogger();
  const campaigns = repository ?? new InMemoryCampaignRepository();
  const bw = createBreakwater({
    services: SERVICES,
    breakerStore: new InMemoryCircuitBreakerStore(),
    queueStore: new InMemoryQueueStore(),
    campaigns,
    policy: { failureThreshold: 3, resetTimeoutMs: 60_000 },
    logger,
    ...options,
  });
  const campaignIds: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const campaign = await campaigns.createCampaign({ name: `Outreach wave ${i + 1}`, status: 'RUNNING' });
    campaignIds.push(campaign.id);
  }
  for (let i = 0; i < 45; i += 1) {
    const campaignId = campaignIds[i % 8] as string;
    await campaigns.enqueueJob({ campaignId, service: i < 15 ? 'apollo' : 'perplexity', payload: { lead: i } });
  }
  return { bw, campaigns, campaignIds, logger };
}

export async function failUntilOpen(bw: Breakwater, service: string, reason: string): Promise<void> {
  for (let i = 0; i < bw.policy.failureThreshold; i += 1) await bw.breakers.recordFailure(service, { reason });
}
