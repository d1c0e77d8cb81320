/**
 * `npm start`: the outreach backend on the configured stores, with a few campaigns seeded
 * into an empty store so the dashboard has something to show. Ctrl-C stops it gracefully.
 */
import { isBreakwaterError } from '@breakwater/core';
import { DASHBOARD_PATH, DEMO_API_PATH, QUEUE_MANAGEMENT_PATH, buildApp } from './app.js';
import { launchCampaign } from './campaign-launch.js';
import { loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const outreach = await buildApp(config);
  const { bw, logger } = outreach;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: the operator does not want to wait for in-flight jobs.
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    logger.info(`${signal} received: letting in-flight jobs finish, then closing the stores`);
    outreach.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Could not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let url: string;
  try {
    url = await outreach.start();
  } catch (error) {
    await outreach.close().catch(() => {});
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`Port ${config.port} on ${config.host} is in use: set PORT to another one`);
    throw error;
  }

  const counts = await bw.campaigns.countCampaignsByStatus();
  const existing = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const auth = config.apiToken ? ` -H "Authorization: Bearer $BREAKWATER_API_TOKEN"` : '';
  const lines = [
    '',
    `  Breakwater outreach app listening on ${url}`,
    '',
    `  Dashboard       ${url}${DASHBOARD_PATH}`,
    `  Queue API       ${url}${QUEUE_MANAGEMENT_PATH}/status`,
    `  Demo API        ${url}${DEMO_API_PATH}/services`,
    '',
    `  Campaigns/jobs  ${outreach.stores.description.campaigns}`,
    `  Breakers/queues ${outreach.stores.description.breakers}`,
    `  API token       ${config.apiToken ? `required for changes (browser: ${url}/login)` : 'none (BREAKWATER_API_TOKEN unset: anyone may resume, reset and trip)'}`,
    existing === 0 && config.seedCampaigns > 0
      ? `  Seeding         ${config.seedCampaigns} campaigns × ${config.seedLeads} leads × 5 services`
      : `  Seeding         nothing (${existing > 0 ? `the store already holds ${existing} campaigns` : 'SEED_CAMPAIGNS=0'})`,
    '',
    `  Break a service:  curl -X POST ${url}${DEMO_API_PATH}/services/apollo/mode${auth} -H 'Content-Type: application/json' -d '{"mode":"failing"}'`,
    `  Launch campaign:  curl -X POST ${url}${DEMO_API_PATH}/campaigns${auth} -H 'Content-Type: application/json' -d '{"leads":5}'`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  // Only into an empty store: a restart on PostgreSQL keeps what is there.
  if (existing === 0) {
    for (let i = 0; i < config.seedCampaigns && !stopping; i += 1) {
      await launchCampaign(bw, { name: `Outreach wave ${i + 1}`, leads: config.seedLeads, firstLead: i * config.seedLeads });
    }
  }
}

main().catch((error: unknown) => {
  // Configuration and connection problems already say what is wrong; anything else gets its stack.
  const message = isBreakwaterError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`outreach-app failed to start: ${message}\n`);
  process.exit(1);
});
