/**
 * `npm run demo`: the manual queue resume (docs/manual-resume.md) as a story, on the in-memory stores, in a few seconds.
 * Two services fail, their breakers trip and everything pauses; the resume is refused while
 * they are open; resetting them resumes nothing; a dry run, the resume and its report; then the
 * workers finish every job. Breakwater's own log lines are shown indented.
 */
import { type Breakwater, type CountsByStatus, PrerequisitesNotMetError } from '@breakwater/core';
import { toWireReport } from '@breakwater/express-plugin';
import { buildApp } from './app.js';
import { launchCampaign } from './campaign-launch.js';
import { loadConfig } from './config.js';
import { consoleLogger } from './console-logger.js';
import { waitUntil } from './wait-until.js';

const CAMPAIGNS = 4;
const LEADS_PER_CAMPAIGN = 3;

const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (n: number, title: string) => say(`\n━━ ${n}. ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);

function nonZero<S extends string>(counts: CountsByStatus<S>): string {
  const shown = Object.entries<number>(counts).filter(([, n]) => n > 0);
  return shown.length === 0 ? 'none' : shown.map(([status, n]) => `${status} ${n}`).join(', ');
}

async function showState(bw: Breakwater): Promise<void> {
  const status = await bw.status();
  for (const breaker of status.breakers) {
    const queue = status.queues.find((q) => q.service === breaker.service);
    const why = breaker.lastFailureReason && breaker.state !== 'closed' ? `  (${breaker.lastFailureReason})` : '';
    say(`   ${breaker.service.padEnd(16)} breaker ${breaker.state.padEnd(9)} queue ${queue?.state ?? '?'}${why}`);
  }
  say(`   campaigns: ${nonZero(status.campaigns)}`);
  say(`   jobs:      ${nonZero(status.jobs)}`);
}

async function main(): Promise<void> {
  // In-memory stores whatever the environment says: the demo never touches a real database.
  const config = loadConfig({
    SIMULATED_LATENCY_MIN_MS: '20',
    SIMULATED_LATENCY_MAX_MS: '40',
    // As many calls in flight per service as it takes to trip a breaker, so both failing services trip.
    WORKER_CONCURRENCY: '5',
    FAILURE_THRESHOLD: '5',
    WORKER_POLL_INTERVAL_MS: '50',
    RETRY_BACKOFF_MS: '50',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const logger = consoleLogger({ level: config.logLevel, prefix: '│', showFields: false, write: (_level, line) => say(`   ${line}`) });
  const outreach = await buildApp(config, { logger });
  const { bw, services, workers } = outreach;

  try {
    step(1, 'Launch campaigns; Apollo and Perplexity start failing');
    for (let i = 0; i < CAMPAIGNS; i += 1) {
      await launchCampaign(bw, { name: `Outreach wave ${i + 1}`, leads: LEADS_PER_CAMPAIGN, firstLead: i * LEADS_PER_CAMPAIGN });
    }
    say(
      `   ${CAMPAIGNS} campaigns × ${LEADS_PER_CAMPAIGN} leads × ${bw.services.length} services = ${CAMPAIGNS * LEADS_PER_CAMPAIGN * bw.services.length} jobs`,
    );
    services.apollo.setMode('failing');
    services.perplexity.setMode('failing');
    say('   apollo and perplexity now answer HTTP 503; the workers start');
    await Promise.all(workers.map((worker) => worker.start()));

    step(2, 'The breakers trip and the pause cascade runs');
    await waitUntil(async () => {
      const [apollo, perplexity] = await bw.breakers.list();
      const jobs = await bw.campaigns.countJobsByStatus();
      return apollo?.state === 'open' && perplexity?.state === 'open' && jobs.PROCESSING === 0;
    }, 'apollo and perplexity to trip and in-flight jobs to settle');
    await showState(bw);
    say('   (PENDING jobs belong to healthy services: they wait because their campaigns are paused.)');

    step(3, 'The operator tries to resume while breakers are open');
    try {
      await bw.resumeQueue({ requestedBy: 'operator@example.com' });
      throw new Error('the resume should have been refused');
    } catch (error) {
      if (!(error instanceof PrerequisitesNotMetError)) throw error;
      say(`   ✗ refused (the API answers 400 with this detail): ${error.message}`);
    }

    step(4, 'The services recover; the operator resets both breakers');
    services.apollo.setMode('healthy');
    services.perplexity.setMode('healthy');
    await bw.breakers.reset('apollo');
    await bw.breakers.reset('perplexity');
    say('   Nothing resumes on a reset: queues, campaigns and jobs stay paused.');
    await showState(bw);

    step(5, 'A dry run shows what the resume would do');
    const preview = await bw.resumeQueue({ dryRun: true, requestedBy: 'operator@example.com' });
    say(`   ${preview.message}`);

    step(6, 'Resume Queue & All Campaigns');
    const report = await bw.resumeQueue({ requestedBy: 'operator@example.com' });
    say('   POST /api/v1/queue-management/resume-queue →');
    say(
      JSON.stringify({ status: 'success', data: toWireReport(report) }, null, 2)
        .split('\n')
        .map((line) => `   ${line}`)
        .join('\n'),
    );

    step(7, 'The workers pick the resumed jobs up and finish every campaign');
    const total = CAMPAIGNS * LEADS_PER_CAMPAIGN * bw.services.length;
    await waitUntil(async () => {
      const [jobs, campaigns] = await Promise.all([bw.campaigns.countJobsByStatus(), bw.campaigns.countCampaignsByStatus()]);
      return jobs.COMPLETED === total && campaigns.COMPLETED === CAMPAIGNS;
    }, 'every job and campaign to complete');
    await showState(bw);
    say(`\n   Done: all ${total} jobs completed, all ${CAMPAIGNS} campaigns completed, no job lost or failed.`);
  } finally {
    await outreach.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
