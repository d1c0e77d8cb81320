/**
 * Starting a campaign without racing a trip. A trip's cascade pauses the campaigns that are
 * RUNNING when its step 3 (docs/architecture.md#the-pause-cascade) runs, so a campaign started just after would run with a service down.
 * Moving it to RUNNING first and only then reading the queue states closes the gap: either the
 * read sees the paused queue (and the campaign pauses itself), or the read came before the
 * cascade's queue step, so its campaign step comes later and pauses it.
 */
import type { Campaign } from './domain.js';
import { isBreakwaterError } from './errors.js';
import { campaignPausedMessage } from './messages.js';
import type { CampaignRepository, QueueStore } from './ports.js';

export interface StartCampaignDeps {
  services: readonly string[];
  queueStore: QueueStore;
  campaigns: CampaignRepository;
  pauseScope: 'all' | 'affected';
}

export async function startCampaign(deps: StartCampaignDeps, id: string, statusMessage: string | null = null): Promise<Campaign> {
  const { campaigns, queueStore } = deps;
  const started = await campaigns.transitionCampaign(id, 'RUNNING', statusMessage);
  const paused = (await queueStore.getStates(deps.services)).filter((queue) => queue.state === 'PAUSED');
  if (paused.length === 0) return started;
  const pausedServices = paused.map((queue) => queue.service);
  const service = deps.pauseScope === 'all' ? pausedServices[0] : await firstServiceWithWork(campaigns, id, pausedServices);
  if (service === undefined) return started;
  try {
    return await campaigns.transitionCampaign(id, 'PAUSED', campaignPausedMessage(service, null));
  } catch (error) {
    // The cascade paused it first (or someone moved it on): that outcome stands.
    if (isBreakwaterError(error) && error.code === 'INVALID_TRANSITION') return (await campaigns.getCampaign(id)) ?? started;
    throw error;
  }
}

async function firstServiceWithWork(campaigns: CampaignRepository, id: string, services: readonly string[]): Promise<string | undefined> {
  const jobs = await campaigns.listJobs({ campaignId: id });
  return services.find((service) => jobs.some((job) => job.service === service && job.status !== 'COMPLETED' && job.status !== 'FAILED'));
}
