/**
 * execute() per-call time, in-memory stores vs Redis stores, measured in the same run; and what a
 * failure costs next to one round trip (PING). Run: `npm run bench` (REDIS_URL, default
 * redis://127.0.0.1:6379). Commands are counted as the host's client sends them.
 */
import { randomUUID } from 'node:crypto';
import { InMemoryCampaignRepository, InMemoryCircuitBreakerStore, InMemoryQueueStore, createBreakwater } from '@breakwater/core';
import type { Breakwater, CircuitBreakerStore, QueueStore } from '@breakwater/core';
import { Redis } from 'ioredis';
import { RedisCircuitBreakerStore, RedisQueueStore } from '../src/index.js';

const CALLS_PER_ROUND = 20_000;
const ROUNDS = 7;
const FAILURES = 2_000;

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keyPrefix = `bwbench:${randomUUID().slice(0, 8)}:`;
const redisBreakers = new RedisCircuitBreakerStore({ redis, keyPrefix });
const redisQueues = new RedisQueueStore({ redis, keyPrefix });
await Promise.all([redisBreakers.ready(), redisQueues.ready()]);

function breakwaterOn(breakerStore: CircuitBreakerStore, queueStore: QueueStore): Breakwater {
  // A threshold no run reaches, so the failure measurement never opens the breaker.
  return createBreakwater({
    services: ['apollo', 'openai'],
    breakerStore,
    queueStore,
    campaigns: new InMemoryCampaignRepository(),
    policy: { failureThreshold: 1e9 },
  });
}

const inMemory = breakwaterOn(new InMemoryCircuitBreakerStore(), new InMemoryQueueStore());
const onRedis = breakwaterOn(redisBreakers, redisQueues);
const cheapCall = async () => 42;

async function nsPerExecute(bw: Breakwater, calls: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await bw.breakers.execute('apollo', cheapCall);
  return Number(process.hrtime.bigint() - start) / calls;
}

/** Counts what the stores send on the host's client (the wrapped client); the subscriber's own connection only ever SUBSCRIBEs. */
let commandsSent = 0;
const sendCommand = redis.sendCommand.bind(redis);
redis.sendCommand = ((...args: Parameters<typeof sendCommand>) => {
  commandsSent++;
  return sendCommand(...args);
}) as typeof redis.sendCommand;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const us = (ns: number) => `${(ns / 1_000).toFixed(2)} µs`;

// Warm-up: JIT, script cache, near-cache.
await nsPerExecute(inMemory, 5_000);
await nsPerExecute(onRedis, 5_000);

const memoryRounds: number[] = [];
const redisRounds: number[] = [];
const before = commandsSent;
for (let round = 0; round < ROUNDS; round++) {
  memoryRounds.push(await nsPerExecute(inMemory, CALLS_PER_ROUND));
  redisRounds.push(await nsPerExecute(onRedis, CALLS_PER_ROUND));
}
const successCommands = commandsSent - before;
const memoryNs = median(memoryRounds);
const redisNs = median(redisRounds);

const pingStart = process.hrtime.bigint();
for (let i = 0; i < FAILURES; i++) await redis.ping();
const pingNs = Number(process.hrtime.bigint() - pingStart) / FAILURES;

const beforeFailures = commandsSent;
const failureStart = process.hrtime.bigint();
for (let i = 0; i < FAILURES; i++) await onRedis.breakers.recordFailure('openai', { reason: 'HTTP 503' });
const failureNs = Number(process.hrtime.bigint() - failureStart) / FAILURES;
const failureCommands = commandsSent - beforeFailures;

console.log(`execute() success path, median of ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls:`);
console.log(`  in-memory stores  ${us(memoryNs)} per call`);
console.log(`  Redis stores      ${us(redisNs)} per call   (${(redisNs / memoryNs).toFixed(2)}× in-memory; budget 2×)`);
console.log(`  commands sent to Redis over ${ROUNDS * CALLS_PER_ROUND} calls: ${successCommands} (near-cache refreshes)`);
console.log(`recordFailure through Redis, ${FAILURES} calls:`);
console.log(
  `  ${us(failureNs)} per failure; one PING round trip: ${us(pingNs)}; commands per failure: ${(failureCommands / FAILURES).toFixed(2)}`,
);

await Promise.all([inMemory.close(), onRedis.close(), redisBreakers.close(), redisQueues.close()]);
const keys = await redis.keys(`${keyPrefix}*`);
if (keys.length > 0) await redis.del(...keys);
await redis.quit();
