/**
 * Closes a campaign once every one of its jobs has finished: COMPLETED, or FAILED when some job
 * failed for good. Breakwater leaves this to the host (it only pauses and resumes campaigns).
 *
 * Checked when a job finishes, and when a campaign resumes: a campaign whose last job finished
 * while it was paused can only complete after the queue resume has made it RUNNING again.
 *
 * It reads the campaign's COMPLETED job rows, so the app's workers keep them (the workers' default: no
 * `removeOnComplete`). With `removeOnComplete`, completed rows go away and this check would have to count
 * finished work some other way.
 */
import { type Breakwater, type Logger, type Worker, isBreakwaterError } from '@breakwater/core';

const FINISHED = new Set(['COMPLETED', 'FAILED']);

export async function completeIfFinished(bw: Breakwater, campaignId: string): Promise<boolean> {
  const jobs = await bw.campaigns.listJobs({ campaignId });
  if (jobs.length === 0 || !jobs.every((job) => FINISHED.has(job.status))) return false;
  const campaign = await bw.campaigns.getCampaign(campaignId);
  if (campaign?.status !== 'RUNNING') return false;
  const failed = jobs.filter((job) => job.status === 'FAILED').length;
  try {
    if (failed > 0) await bw.campaigns.transitionCampaign(campaignId, 'FAILED', `${failed} of ${jobs.length} jobs failed`);
    else await bw.campaigns.transitionCampaign(campaignId, 'COMPLETED', `All ${jobs.length} jobs completed`);
    return true;
  } catch (error) {
    // Another check closed it, or a cascade paused it in between: either way there is nothing to do now.
    if (isBreakwaterError(error) && error.code === 'INVALID_TRANSITION') return false;
    throw error;
  }
}

/** Watches the workers and resumes; returns a function that stops watching. */
export function watchCampaignCompletion(bw: Breakwater, workers: readonly Worker[], logger: Logger): () => void {
  const check = (campaignId: string) => {
    completeIfFinished(bw, campaignId).then(
      (closed) => {
        if (closed) logger.info({ campaignId }, `Campaign ${campaignId} finished`);
      },
      (error: unknown) => logger.error({ err: error, campaignId }, `Could not close campaign ${campaignId}`),
    );
  };
  const onJobFinished = ({ job }: { job: { campaignId: string } }) => check(job.campaignId);
  const onCampaignResumed = ({ campaignId }: { campaignId: string }) => check(campaignId);
  for (const worker of workers) {
    worker.events.on('job:completed', onJobFinished);
    worker.events.on('job:failed', onJobFinished);
  }
  bw.events.on('campaign:resumed', onCampaignResumed);
  return () => {
    for (const worker of workers) {
      worker.events.off('job:completed', onJobFinished);
      worker.events.off('job:failed', onJobFinished);
    }
    bw.events.off('campaign:resumed', onCampaignResumed);
  };
}
