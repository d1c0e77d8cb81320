/**
 * Breakwater's jobs on PostgreSQL beside BullMQ (Redis) and graphile-worker (PostgreSQL), in the same run, on
 * the same servers, with no-op handlers. Each round measures every queue in turn (the order rotates from round to
 * round, so none always runs on a warmer server):
 *   - bulk enqueue: BENCH_JOBS jobs in calls of BENCH_BATCH (enqueueJobs / addBulk / addJobs), jobs/s;
 *   - worker throughput: a worker drains those jobs at concurrency 50, then (after a second enqueue) at 10, jobs/s;
 *   - enqueue → handler start: one job at a time into an idle worker (enqueueJob / add / addJob), median and p99 ms.
 * The summary gives the median over rounds of each per-round ratio (Breakwater ÷ peer; for latency, peer ÷
 * Breakwater, so above 1 is better for Breakwater everywhere).
 *
 *   pnpm bench            BENCH_JOBS=20000 BENCH_BATCH=1000 BENCH_ROUNDS=5 BENCH_SAMPLES=200
 * Also DATABASE_URL, REDIS_URL, BENCH_POOL (Postgres connections per queue, default 20), BENCH_ONLY (a comma list
 * of contender names). Everything runs in schemas, key prefixes and queue names of its own, dropped at the end.
 */
import { BreakwaterContender } from './breakwater-contender.js';
import { BullMqContender } from './bullmq-contender.js';
import type { Contender } from './contender.js';
import { GraphileContender } from './graphile-contender.js';
import { jobsPerSecond, median, percentile, timed } from './stats.js';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const JOBS = env('BENCH_JOBS', 20_000);
const BATCH = env('BENCH_BATCH', 1_000);
const ROUNDS = env('BENCH_ROUNDS', 5);
const SAMPLES = env('BENCH_SAMPLES', 200);
const POOL = env('BENCH_POOL', 20);
const CONCURRENCIES = [50, 10] as const;
const LATENCY_CONCURRENCY = 10;
const urls = {
  database: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

interface RoundFigures {
  enqueue: number;
  drain: Record<(typeof CONCURRENCIES)[number], number>;
  latencyMedian: number;
  latencyP99: number;
}

async function measure(contender: Contender): Promise<RoundFigures> {
  const enqueueRates: number[] = [];
  const drain = {} as RoundFigures['drain'];
  for (const concurrency of CONCURRENCIES) {
    enqueueRates.push(jobsPerSecond(JOBS, await timed(() => contender.enqueue(JOBS, BATCH))));
    drain[concurrency] = jobsPerSecond(JOBS, await timed(() => contender.drain(JOBS, concurrency)));
  }
  const latencies = await contender.startLatencies(SAMPLES, LATENCY_CONCURRENCY);
  return { enqueue: median(enqueueRates), drain, latencyMedian: median(latencies), latencyP99: percentile(latencies, 0.99) };
}

const int = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => value.toFixed(2);
const ratio = (value: number) => `${value.toFixed(2)}×`;

function describe(name: string, figures: RoundFigures): string {
  return `${name.padEnd(19)} enqueue ${int(figures.enqueue).padStart(7)} jobs/s | worker c50 ${int(figures.drain[50]).padStart(6)} jobs/s, c10 ${int(figures.drain[10]).padStart(6)} jobs/s | start ${ms(figures.latencyMedian)} / ${ms(figures.latencyP99)} ms (median / p99)`;
}

/** Breakwater's figure over the peer's: above 1 is better for Breakwater (for latencies, the inverse). */
function ratios(ours: RoundFigures, peer: RoundFigures) {
  return {
    enqueue: ours.enqueue / peer.enqueue,
    c50: ours.drain[50] / peer.drain[50],
    c10: ours.drain[10] / peer.drain[10],
    startMedian: peer.latencyMedian / ours.latencyMedian,
  };
}

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim().toLowerCase());
const contenders: Contender[] = [
  await BreakwaterContender.create(urls, POOL),
  await BreakwaterContender.create(urls, POOL, 'none'),
  new BullMqContender(urls.redis),
  new GraphileContender(urls.database, POOL),
].filter((contender) => !only || only.some((name) => contender.name.toLowerCase().startsWith(name)));

console.log(
  `job queues, no-op jobs: ${int(JOBS)} jobs a phase, enqueued ${int(BATCH)} per call, ${ROUNDS} rounds, ${SAMPLES} latency samples (worker concurrency ${LATENCY_CONCURRENCY}), ${POOL} Postgres connections per queue`,
);
const perRound: Map<string, RoundFigures>[] = [];
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    const figures = new Map<string, RoundFigures>();
    for (const contender of order) figures.set(contender.name, await measure(contender));
    perRound.push(figures);
    console.log(`\nround ${round + 1} (order: ${order.map((contender) => contender.name).join(', ')})`);
    for (const contender of contenders) console.log(`  ${describe(contender.name, figures.get(contender.name) as RoundFigures)}`);
  }
} finally {
  for (const contender of contenders) await contender.close();
}

const ours = contenders.filter((contender) => contender.name.startsWith('Breakwater')).map((contender) => contender.name);
console.log(`\nsummary: medians over ${ROUNDS} rounds`);
for (const contender of contenders) {
  const rounds = perRound.map((figures) => figures.get(contender.name) as RoundFigures);
  const medianOf = (pick: (figures: RoundFigures) => number) => median(rounds.map(pick));
  console.log(
    `  ${describe(contender.name, {
      enqueue: medianOf((f) => f.enqueue),
      drain: { 50: medianOf((f) => f.drain[50]), 10: medianOf((f) => f.drain[10]) },
      latencyMedian: medianOf((f) => f.latencyMedian),
      latencyP99: medianOf((f) => f.latencyP99),
    })}`,
  );
}
for (const mine of ours) {
  for (const peer of contenders.filter((contender) => !contender.name.startsWith('Breakwater'))) {
    const each = perRound.map((figures) => ratios(figures.get(mine) as RoundFigures, figures.get(peer.name) as RoundFigures));
    const medianOf = (pick: (r: ReturnType<typeof ratios>) => number) => ratio(median(each.map(pick)));
    console.log(
      `  ${mine} vs ${peer.name}: enqueue ${medianOf((r) => r.enqueue)}, worker c50 ${medianOf((r) => r.c50)}, c10 ${medianOf((r) => r.c10)}, start latency (median, theirs ÷ ours) ${medianOf((r) => r.startMedian)}`,
    );
  }
}
