/**
 * Breakwater on ioredis' Sentinel client, unchanged: one master, one replica and three sentinels on
 * loopback. The master is killed under a running worker, once after the replica has caught up and once
 * with the last write (a trip) never replicated, and what holds is checked on the jobs and campaigns.
 */
import { randomUUID } from 'node:crypto';
import { type Campaign, InMemoryCampaignRepository } from '@breakwater/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVICES, type TopologyProcess, startProcess } from './breakwater-on-topology.js';
import { sleep, until } from './local-redis-server.js';
import { LocalRedisSentinel, SENTINEL_DOWN_AFTER_MS } from './local-redis-sentinel.js';

const JOB_MS = 60;

let group: LocalRedisSentinel;
const processes: TopologyProcess[] = [];
const stops: (() => Promise<void>)[] = [];

beforeEach(async () => {
  group = await LocalRedisSentinel.start();
});
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await Promise.all(processes.splice(0).map((process) => process.close()));
  await group?.stop();
});

const APOLLO_JOBS_PER_MIXED = 10;
const PERPLEXITY_JOBS_PER_MIXED = 4;
const PERPLEXITY_ONLY_JOBS = 40;
const TOTAL_JOBS = 2 * (APOLLO_JOBS_PER_MIXED + PERPLEXITY_JOBS_PER_MIXED) + PERPLEXITY_ONLY_JOBS;

/**
 * Two campaigns with jobs on apollo and perplexity, and one with perplexity jobs only (it keeps running
 * when apollo trips). The two campaigns' apollo jobs alternate, so both still have some left when the
 * test trips apollo a few jobs in.
 */
async function seed(campaigns: InMemoryCampaignRepository): Promise<{ mixed: Campaign[]; perplexityOnly: Campaign }> {
  const mixed = [
    await campaigns.createCampaign({ name: 'Mixed 1', status: 'RUNNING' }),
    await campaigns.createCampaign({ name: 'Mixed 2', status: 'RUNNING' }),
  ];
  for (let j = 0; j < APOLLO_JOBS_PER_MIXED; j += 1) {
    for (const campaign of mixed) await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });
  }
  for (let j = 0; j < PERPLEXITY_JOBS_PER_MIXED; j += 1) {
    for (const campaign of mixed) await campaigns.enqueueJob({ campaignId: campaign.id, service: 'perplexity' });
  }
  const perplexityOnly = await campaigns.createCampaign({ name: 'Perplexity only', status: 'RUNNING' });
  for (let j = 0; j < PERPLEXITY_ONLY_JOBS; j += 1) await campaigns.enqueueJob({ campaignId: perplexityOnly.id, service: 'perplexity' });
  return { mixed, perplexityOnly };
}

/** An operator's process and a worker process on the Sentinel group, sharing one repository, the workers started. */
async function startFleet() {
  const campaigns = new InMemoryCampaignRepository();
  const seeded = await seed(campaigns);
  const keyPrefix = `bwtest:${randomUUID().slice(0, 8)}:`;
  const options = { pauseScope: 'affected' as const };
  const operator = await startProcess({ redis: group.client({ connectionName: 'operator-process' }), keyPrefix }, campaigns, options);
  const workers = await startProcess({ redis: group.client({ connectionName: 'worker-process' }), keyPrefix }, campaigns, options);
  processes.push(operator, workers);
  const started: { service: string; at: number }[] = [];
  const completedAt: number[] = [];
  for (const service of SERVICES) {
    const worker = workers.bw.createWorker({
      service,
      concurrency: 2,
      pollIntervalMs: 50,
      leaseMs: 1_500,
      backoff: () => 10,
      handler: async () => {
        started.push({ service, at: Date.now() });
        await sleep(JOB_MS);
        return { ok: true };
      },
    });
    worker.events.on('job:completed', () => completedAt.push(Date.now()));
    await worker.start();
    stops.push(() => worker.stop());
  }
  return { campaigns, keyPrefix, operator, workers, started, completedAt, ...seeded };
}

async function jobCounts(campaigns: InMemoryCampaignRepository, campaignId: string) {
  const jobs = await campaigns.listJobs({ campaignId });
  return jobs.reduce<Record<string, number>>((counts, job) => ({ ...counts, [job.status]: (counts[job.status] ?? 0) + 1 }), {});
}

/** Kills the master and waits until the sentinels name the replica master; the time that took. */
async function failOver(): Promise<number> {
  const killedAt = Date.now();
  await group.master.crash();
  await until('the sentinels to promote the replica', async () => (await group.masterPort()) === group.replica.port, 20_000);
  return Date.now() - killedAt;
}

describe('Redis Sentinel', () => {
  it('a failover under a running worker: the worker stalls for it and finishes; the open breaker stays open; a resume after it', async () => {
    const fleet = await startFleet();
    const { campaigns, operator, workers, keyPrefix } = fleet;
    // Per process on the master: the host's client and one subscriber connection per store.
    const names = await group.master.connectionNames();
    expect(names.filter((name) => name === 'operator-process')).toHaveLength(1);
    expect(names.filter((name) => name.startsWith('breakwater:'))).toHaveLength(4);

    await until('the worker to be under way', () => fleet.completedAt.length >= 4);
    await operator.bw.breakers.trip('apollo', 'maintenance');
    await until(
      'the replica to have the trip',
      async () => (await group.replica.command('HGET', `${keyPrefix}circuit_breaker:apollo`, 'state')) === 'open',
    );

    const killedAt = Date.now();
    const promotedMs = await failOver();
    await until(
      'the perplexity-only campaign to finish',
      async () => (await jobCounts(campaigns, fleet.perplexityOnly.id)).COMPLETED === PERPLEXITY_ONLY_JOBS,
      30_000,
    );
    // The worker's longest stretch without completing a job, from the kill on: how long it stalled.
    const completions = [killedAt, ...fleet.completedAt.filter((at) => at > killedAt)];
    const stallMs = Math.max(...completions.slice(1).map((at, index) => at - completions[index]!));

    // The open breaker, the paused queue and the paused jobs all survived; no apollo job started.
    expect(await operator.bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });
    expect(await workers.bw.breakers.shouldAllowRequest('apollo')).toEqual({ allowed: false, reason: 'open' });
    expect(await operator.queueStore.getStates(['apollo'])).toMatchObject([{ state: 'PAUSED' }]);
    expect(fleet.started.filter((start) => start.service === 'apollo' && start.at > killedAt)).toEqual([]);
    expect(await campaigns.countJobsByStatus()).toMatchObject({ FAILED: 0, PROCESSING: 0 });

    await operator.bw.breakers.reset('apollo');
    expect(await operator.bw.resumeQueue()).toMatchObject({ queueResumed: true, campaignsResumed: 2 });
    await until('every job to complete', async () => (await campaigns.countJobsByStatus()).COMPLETED === TOTAL_JOBS, 20_000);
    expect(await campaigns.countJobsByStatus()).toMatchObject({ COMPLETED: TOTAL_JOBS, FAILED: 0, PAUSED: 0 });
    console.info(
      `Sentinel failover (down-after ${SENTINEL_DOWN_AFTER_MS} ms): replica promoted after ${promotedMs} ms; ` +
        `the worker went ${stallMs} ms without completing a job; ` +
        `${fleet.started.length - TOTAL_JOBS} of ${TOTAL_JOBS} job runs repeated (at-least-once)`,
    );
  });

  it('a failover that loses the last write (a trip): the fences keep everything paused, and the breaker is latched open again', async () => {
    const fleet = await startFleet();
    const { campaigns, operator, workers, keyPrefix } = fleet;
    await until('the worker to be under way', () => fleet.completedAt.length >= 4);

    // Cut replication: the master refuses the replica's reconnection (a password it does not have) and
    // drops its link, so what is written next is acknowledged by the master alone.
    await group.master.session(async (client) => {
      await client.call('CONFIG', 'SET', 'requirepass', randomUUID());
      await client.call('CLIENT', 'KILL', 'TYPE', 'replica');
    });
    await until('the replica to lose its link', async () =>
      ((await group.replica.command('INFO', 'replication')) as string).includes('master_link_status:down'),
    );
    await operator.bw.breakers.trip('apollo', 'maintenance');
    const pausedJobs = await campaigns.countJobsByStatus({ service: 'apollo' });
    const mixedAfterTrip = await Promise.all(fleet.mixed.map((campaign) => campaigns.getCampaign(campaign.id)));
    expect(mixedAfterTrip.map((campaign) => campaign?.status)).toEqual(['PAUSED', 'PAUSED']);
    // The replica about to be promoted never got the trip nor the pause (it holds apollo as set up, or nothing).
    expect(await group.replica.command('HGET', `${keyPrefix}circuit_breaker:apollo`, 'state')).not.toBe('open');
    expect(await group.replica.command('HGET', `${keyPrefix}queue_status`, 'apollo')).not.toBe('PAUSED');

    const killedAt = Date.now();
    await failOver();
    await until('the processes to reach the new master', async () => {
      await workers.bw.breakers.get('apollo');
      return true;
    });
    // The state marker survived (only the last writes were lost), so nothing reads as lost; the fence,
    // kept by Postgres, says apollo is paused: the reconciler latches its breaker and pauses its queue again.
    await until(
      'the reconciler to restore the lost pause',
      async () => {
        const [breaker, [queue]] = [await workers.bw.breakers.get('apollo'), await workers.queueStore.getStates(['apollo'])];
        return breaker.state === 'open' && breaker.latched && queue?.state === 'PAUSED';
      },
      20_000,
    );
    // Past the near-cache bound, with the worker running all along: nothing of apollo ran, nothing resumed.
    await sleep(1_500);
    expect(fleet.started.filter((start) => start.service === 'apollo' && start.at > killedAt)).toEqual([]);
    expect(await campaigns.countJobsByStatus({ service: 'apollo' })).toMatchObject({ PAUSED: pausedJobs.PAUSED });
    const mixedAfterFailover = await Promise.all(fleet.mixed.map((campaign) => campaigns.getCampaign(campaign.id)));
    expect(mixedAfterFailover.map((campaign) => campaign?.status)).toEqual(['PAUSED', 'PAUSED']);
    expect(await campaigns.countJobsByStatus()).toMatchObject({ FAILED: 0 });

    // The operator's reset and resume bring it all back.
    await operator.bw.breakers.reset('apollo');
    expect(await operator.bw.resumeQueue()).toMatchObject({ queueResumed: true, campaignsResumed: 2 });
    await until('every job to complete', async () => (await campaigns.countJobsByStatus()).COMPLETED === TOTAL_JOBS, 20_000);
  });
});
