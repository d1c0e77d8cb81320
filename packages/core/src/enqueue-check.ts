/**
 * Jobs are enqueued only for configured services: a job of a service no breaker guards would never be
 * claimed (no worker can be made for it) nor paused by any cascade. Checked at the boundary, whatever
 * the repository (the in-memory one knows no service list of its own).
 */
import { UnknownServiceError } from './errors.js';
import type { CampaignRepository } from './ports.js';

export function enqueueingOnlyKnownServices(campaigns: CampaignRepository, services: readonly string[]): CampaignRepository {
  const known = new Set(services);
  return {
    ...campaigns,
    enqueueJob: (input, options) => {
      if (!known.has(input?.service)) return Promise.reject(new UnknownServiceError(String(input?.service)));
      return campaigns.enqueueJob(input, options);
    },
    enqueueJobs: (inputs, options) => {
      // The whole batch or nothing, as the repository does for a missing campaign.
      const unknown = Array.isArray(inputs) ? inputs.find((input) => !known.has(input?.service)) : undefined;
      if (unknown) return Promise.reject(new UnknownServiceError(String(unknown.service)));
      return campaigns.enqueueJobs(inputs, options);
    },
  };
}
