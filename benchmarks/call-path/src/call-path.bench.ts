/**
 * The breaker call path against cockatiel 3 and opossum, in one process: `execute` on the in-memory
 * stores and on the Redis stores (warm, breaker closed), `execute` with a timeout against opossum's
 * `fire()` with its timeout, and `recordFailure` on Redis against one raw EVALSHA round trip.
 *
 * Every figure is a median of per-round ratios: each round times every contender once, in a rotating
 * order, and each ratio is taken within its round. Run: `npm run bench` (REDIS_URL, default
 * redis://127.0.0.1:6379; the keys it writes are under a random prefix and removed at the end).
 */
import { randomUUID } from 'node:crypto';
import { RedisCircuitBreakerStore, RedisQueueStore } from '@breakwater/adapter-redis';
import { Redis } from 'ioredis';
import { countCommands } from './command-counter.js';
import {
  TIMEOUT_MS,
  bare,
  breakwaterExecute,
  breakwaterExecuteWithTimeout,
  breakwaterOn,
  breakwaterRecordFailure,
  cockatielExecute,
  inMemoryBreakwater,
  opossumFire,
  rawEvalsha,
} from './contenders.js';
import { measureRounds, perRoundRatios, spread } from './rounds.js';

// Many short rounds: on a shared machine a burst of load then spoils a few rounds, and the median sets them aside.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const CALLS = Number(process.env.BENCH_CALLS ?? 5_000);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 200);

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keyPrefix = `bwbench:${randomUUID().slice(0, 8)}:`;
const redisBreakers = new RedisCircuitBreakerStore({ redis, keyPrefix });
const redisQueues = new RedisQueueStore({ redis, keyPrefix });
await Promise.all([redisBreakers.ready(), redisQueues.ready()]);

const inMemory = inMemoryBreakwater();
const onRedis = breakwaterOn(redisBreakers, redisQueues);
const opossum = opossumFire(false);
const opossumWithTimeout = opossumFire(TIMEOUT_MS);

const names = {
  bare: 'bare await fn()',
  cockatiel: 'cockatiel 3 execute (consecutive breaker)',
  opossum: opossum.name,
  opossumTimeout: opossumWithTimeout.name,
  memory: 'bw.breakers.execute, in-memory stores',
  redis: 'bw.breakers.execute, Redis stores (warm, closed)',
  timeout: `bw.breakers.execute with timeoutMs: ${TIMEOUT_MS}, in-memory stores`,
  evalsha: 'raw EVALSHA of a trivial script',
  failure: 'bw.breakers.recordFailure on the Redis stores',
};

const inProcess = [
  bare(),
  cockatielExecute(),
  opossum,
  opossumWithTimeout,
  breakwaterExecute(names.memory, inMemory),
  breakwaterExecute(names.redis, onRedis),
  breakwaterExecuteWithTimeout(names.timeout, inMemory, TIMEOUT_MS),
];
const roundTrips = [await rawEvalsha(redis), breakwaterRecordFailure(onRedis)];

// Warm-up: JIT, script cache, near-cache; then the rounds that count.
await measureRounds(inProcess, { rounds: 2, calls: CALLS / 4 });
await measureRounds(roundTrips, { rounds: 2, calls: ROUND_TRIPS / 4 });
const commands = countCommands(redis);
const successCommandsBefore = commands.sent;
const callRounds = await measureRounds(inProcess, { rounds: ROUNDS, calls: CALLS });
const successCommands = commands.sent - successCommandsBefore;
const tripRounds = await measureRounds(roundTrips, { rounds: ROUNDS, calls: ROUND_TRIPS });
const failureCommands = commands.sent - successCommands - successCommandsBefore - ROUNDS * ROUND_TRIPS; // less the raw EVALSHAs

const format = (value: number, digits = 2) => value.toFixed(digits);
function nsRow(times: Map<string, number[]>, name: string): string {
  const { median, min, max } = spread(times.get(name) ?? []);
  return `  ${name.padEnd(64)} ${format(median, 0).padStart(8)} ns   (${format(min, 0)}–${format(max, 0)})`;
}
function ratioRow(times: Map<string, number[]>, label: string, contender: string, baseline: string, goal: number): string {
  const { median, min, max } = spread(perRoundRatios(times, contender, baseline));
  const verdict = median <= goal ? 'meets' : 'MISSES';
  return `  ${label.padEnd(64)} ${format(median).padStart(6)}×   (${format(min)}–${format(max)})   goal ≤ ${format(goal)}×: ${verdict}`;
}
function callRatios(times: Map<string, number[]>): void {
  console.log(ratioRow(times, 'execute, in-memory stores / cockatiel execute', names.memory, names.cockatiel, 0.75));
  console.log(ratioRow(times, 'execute, Redis stores (warm, closed) / cockatiel execute', names.redis, names.cockatiel, 1.0));
  console.log(ratioRow(times, 'execute with timeoutMs / opossum fire() with its timeout', names.timeout, names.opossumTimeout, 1.0));
}

const inProcessNames = [names.bare, names.cockatiel, names.opossum, names.opossumTimeout, names.memory, names.redis, names.timeout];
console.log(`Per call, median of ${ROUNDS} rounds (min–max), ${CALLS} calls a round; wall clock:`);
for (const name of inProcessNames) console.log(nsRow(callRounds.wall, name));
console.log('  … and in CPU time of this process:');
for (const name of inProcessNames) console.log(nsRow(callRounds.cpu, name));
console.log(`Per round trip, median of ${ROUNDS} rounds (min–max), ${ROUND_TRIPS} calls a round; wall clock:`);
for (const name of [names.evalsha, names.failure]) console.log(nsRow(tripRounds.wall, name));
console.log('Ratios: median of the per-round ratios (min–max); wall clock:');
callRatios(callRounds.wall);
console.log(ratioRow(tripRounds.wall, 'recordFailure on Redis / one raw EVALSHA', names.failure, names.evalsha, 1.3));
console.log('  … and in CPU time (the calls that wait on nothing):');
callRatios(callRounds.cpu);
console.log(
  `Commands sent to Redis: ${successCommands} over ${ROUNDS * CALLS * inProcess.length} in-process calls (${ROUNDS * CALLS} through the Redis stores), ` +
    `${format(failureCommands / (ROUNDS * ROUND_TRIPS))} per recordFailure`,
);

opossum.shutdown();
opossumWithTimeout.shutdown();
await Promise.all([inMemory.close(), onRedis.close(), redisBreakers.close(), redisQueues.close()]);
const keys = await redis.keys(`${keyPrefix}*`);
if (keys.length > 0) await redis.del(...keys);
await redis.quit();
