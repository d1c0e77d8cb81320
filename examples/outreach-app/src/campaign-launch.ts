/** Creates a campaign with one job per lead on every service, and starts it. */
import type { Breakwater, Campaign } from '@breakwater/core';
import { sampleLead } from './sample-leads.js';
import type { LeadPayload } from './simulated-services.js';

export interface LaunchCampaignInput {
  name: string;
  /** Leads the campaign works on; each gets one job per service. */
  leads: number;
  /** Offsets the sample leads, so campaigns launched one after another get different ones. */
  firstLead?: number;
}

export interface LaunchedCampaign {
  campaign: Campaign;
  jobs: number;
}

export async function launchCampaign(bw: Breakwater, input: LaunchCampaignInput): Promise<LaunchedCampaign> {
  const { campaigns } = bw;
  const created = await campaigns.createCampaign({ name: input.name });
  const jobs = Array.from({ length: input.leads }, (_, i) => {
    const payload: LeadPayload = { lead: sampleLead((input.firstLead ?? 0) + i) };
    return bw.services.map((service) => ({ campaignId: created.id, service, payload }));
  }).flat();
  // The whole campaign in one statement. A job of a paused service is stored PAUSED by the repository and
  // waits for the queue resume.
  await campaigns.enqueueJobs(jobs);
  // startCampaign pauses it at once if a breaker tripped meanwhile (core explains the race it closes).
  const campaign = await bw.startCampaign(created.id, 'Campaign started');
  return { campaign, jobs: jobs.length };
}
