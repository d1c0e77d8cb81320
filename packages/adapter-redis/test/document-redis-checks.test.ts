/**
 * The redis-cli checks of docs/manual-resume.md#checking-the-result, run with the real redis-cli against the
 * store's default (unprefixed) keys, on a database of its own:
 *
 *   redis-cli HGETALL "queue_status"            # Expected: All services showing "ACTIVE"
 *   redis-cli HGETALL "circuit_breaker:apollo"  # Expected: state=closed, failure_count=0
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InMemoryCampaignRepository, createBreakwater } from '@breakwater/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';
import { NO_PREFIX_DB, closeAll, closeLater, connectRedis, redisUrl } from './redis-clients.js';

const SERVICES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'];

async function redisCli(...args: string[]): Promise<string[]> {
  const { stdout } = await promisify(execFile)('redis-cli', ['-u', redisUrl(), '-n', String(NO_PREFIX_DB), ...args]);
  return stdout.split('\n').filter((line) => line !== '');
}

/** HGETALL's answer as redis-cli prints it (field and value on alternate lines), as an object. */
async function hgetall(key: string): Promise<Record<string, string>> {
  const lines = await redisCli('HGETALL', key);
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) hash[lines[i]!] = lines[i + 1]!;
  return hash;
}

const redis = connectRedis({ db: NO_PREFIX_DB });
beforeAll(async () => {
  await redis.flushdb();
});
afterAll(closeAll);

describe('the redis-cli checks of the manual resume (no key prefix)', () => {
  it('after a trip, a reset and a resume: every queue ACTIVE, circuit_breaker:apollo closed with failure_count 0', async () => {
    const breakerStore = closeLater(new RedisCircuitBreakerStore({ redis }));
    const queueStore = closeLater(new RedisQueueStore({ redis }));
    const campaigns = new InMemoryCampaignRepository();
    const bw = createBreakwater({ services: SERVICES, breakerStore, queueStore, campaigns, policy: { failureThreshold: 2 } });
    const campaign = await campaigns.createCampaign({ name: 'Q4 outreach', status: 'RUNNING' });
    await campaigns.enqueueJob({ campaignId: campaign.id, service: 'apollo' });

    // A fresh system reads as docs/manual-resume.md says from its first use: every breaker written out closed.
    await bw.status();
    for (const service of SERVICES) {
      expect(await hgetall(`circuit_breaker:${service}`)).toMatchObject({ state: 'closed', failure_count: '0' });
    }
    const everyServiceActive = Object.fromEntries(SERVICES.map((service) => [service, 'ACTIVE']));
    expect(await hgetall('queue_status')).toEqual(everyServiceActive);

    await bw.breakers.recordFailure('apollo', { reason: 'HTTP 503' });
    await bw.breakers.recordFailure('apollo', { reason: 'HTTP 503' });
    expect(await hgetall('queue_status')).toEqual({ ...everyServiceActive, apollo: 'PAUSED' });
    expect(await hgetall('circuit_breaker:apollo')).toMatchObject({
      state: 'open',
      failure_count: '2',
      trip_count: '1',
      last_failure_reason: 'HTTP 503',
    });
    await expect(bw.resumeQueue()).rejects.toMatchObject({
      message: 'Cannot resume queue: Circuit breakers still open for: apollo (open)',
    });

    await bw.breakers.reset('apollo');
    const report = await bw.resumeQueue();
    expect(report).toMatchObject({ jobsResumed: 1, campaignsResumed: 1 });

    expect(await hgetall('queue_status')).toEqual(everyServiceActive);
    expect(await hgetall('circuit_breaker:apollo')).toMatchObject({ state: 'closed', failure_count: '0' });
    expect(await redisCli('--scan')).toEqual(
      expect.arrayContaining(['queue_status', 'queue_status_updated_at', 'circuit_breaker:apollo', 'breakwater:last_resume_report']),
    );
    await bw.close();
  });
});
