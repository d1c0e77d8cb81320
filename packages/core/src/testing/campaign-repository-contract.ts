/**
 * The CampaignRepository contract, one file per concern in campaign-repository-contract/ (as keyv
 * splits its compliance suite), registered here in one suite. `makeRepo` must return an EMPTY
 * repository each time (fresh tables or truncated ones): campaign counts and paused-campaign listings
 * are global. Leases and retry delays are tested with short real durations, because real servers keep
 * their own time.
 */
import type { CampaignRepository } from '../ports.js';
import { optionalMethodsCase, requireDeclared } from './capability.js';
import { batchedCompletionCases } from './campaign-repository-contract/batched-completions.js';
import { bulkEnqueueCases } from './campaign-repository-contract/bulk-enqueue.js';
import { campaignListingCases } from './campaign-repository-contract/campaign-listing.js';
import { campaignResumeCases } from './campaign-repository-contract/campaign-resume.js';
import { campaignStartCases } from './campaign-repository-contract/campaign-start.js';
import { campaignCases } from './campaign-repository-contract/campaigns.js';
import { completeAndClaimCases } from './campaign-repository-contract/complete-and-claim.js';
import { completedJobRetentionCases } from './campaign-repository-contract/completed-job-retention.js';
import { contractSuite } from './campaign-repository-contract/contract-suite.js';
import { enqueueHandoffCases } from './campaign-repository-contract/enqueue-handoff.js';
import type { CampaignRepositoryContractOptions } from './campaign-repository-contract/contract-suite.js';
import { fencedSettlementCases } from './campaign-repository-contract/fenced-settlements.js';
import { jobCases } from './campaign-repository-contract/jobs.js';
import { notificationCases } from './campaign-repository-contract/notifications.js';
import { servicePauseCases } from './campaign-repository-contract/service-pause.js';
import { workerClaimCases } from './campaign-repository-contract/worker-claims.js';
import type { TestApi } from './test-api.js';

export type { CampaignRepositoryContractOptions } from './campaign-repository-contract/contract-suite.js';

export function campaignRepositoryContract(
  api: TestApi,
  makeRepo: () => CampaignRepository | Promise<CampaignRepository>,
  options: CampaignRepositoryContractOptions,
): void {
  requireDeclared('campaignRepositoryContract', options ?? {}, ['subscribe', 'failCampaignResume']);
  const suite = contractSuite(api, makeRepo, options);
  api.describe('CampaignRepository contract', () => {
    optionalMethodsCase(api, makeRepo, { subscribe: options.subscribe });
    campaignCases(suite);
    jobCases(suite);
    bulkEnqueueCases(suite);
    enqueueHandoffCases(suite);
    servicePauseCases(suite);
    campaignResumeCases(suite);
    workerClaimCases(suite);
    fencedSettlementCases(suite);
    batchedCompletionCases(suite);
    completeAndClaimCases(suite);
    completedJobRetentionCases(suite);
    notificationCases(suite);
    campaignStartCases(suite);
    campaignListingCases(suite);
  });
}
