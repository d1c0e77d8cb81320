/**
 * Starting a campaign without racing a trip: one atomic step in the repository, which knows the fences
 * (the durable record of what is paused). A campaign started while a service it needs is paused lands in
 * PAUSED and never runs, not even for a moment; one started just before a trip is RUNNING when the
 * cascade's campaign step comes, which pauses it like every other. Only `resumeQueue` brings it back.
 */
import type { Campaign } from './domain.js';
import { campaignPausedMessage } from './messages.js';
import type { CampaignRepository } from './ports.js';

export interface StartCampaignDeps {
  services: readonly string[];
  campaigns: CampaignRepository;
  pauseScope: 'all' | 'affected';
}

export function startCampaign(deps: StartCampaignDeps, id: string, statusMessage: string | null = null): Promise<Campaign> {
  return deps.campaigns.startCampaign({
    id,
    services: deps.services,
    scope: deps.pauseScope,
    statusMessage,
    pausedMessage: (service) => campaignPausedMessage(service, null),
  });
}
