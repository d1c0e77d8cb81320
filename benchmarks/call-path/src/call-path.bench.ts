/**
 * The breaker call path against cockatiel 3 and opossum: `execute` on the in-memory stores and on the Redis stores
 * (warm, breaker closed) against cockatiel's `execute`, `execute` with a timeout against opossum's `fire()` with its
 * timeout, and `recordFailure` on Redis against one raw EVALSHA round trip.
 *
 * Each comparison runs in a process of its own holding Breakwater and that peer (comparisons.ts says why), one
 * after the other. Every figure is a median of per-round ratios: each round times every contender once, in a
 * rotating order, and each ratio is taken within its round. Run: `npm run bench` (REDIS_URL, default
 * redis://127.0.0.1:6379; the keys it writes are under a random prefix and removed at the end).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NAMES, type ComparisonName } from './comparisons.js';
import { perRoundRatios, spread } from './rounds.js';
import type { ComparisonResult } from './run-comparison.js';

/** Runs one comparison in a child process (with this process's loader flags, so TypeScript runs there too). */
function runComparison(name: ComparisonName): Promise<ComparisonResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./run-comparison.ts', import.meta.url)), [name]);
    let result: ComparisonResult | null = null;
    child.on('message', (message) => (result = message as ComparisonResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`The ${name} comparison exited with ${code} and no result`))));
  });
}

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

const memory = await runComparison('memory');
const redis = await runComparison('redis');
const timeout = await runComparison('timeout');
const failure = await runComparison('failure');
const wall = (result: ComparisonResult) => new Map(result.wall);
const cpu = (result: ComparisonResult) => new Map(result.cpu);

function callRatios(times: (result: ComparisonResult) => Map<string, number[]>): void {
  console.log(ratioRow(times(memory), 'execute, in-memory stores / cockatiel execute', NAMES.memory, NAMES.cockatiel, 0.75));
  console.log(ratioRow(times(redis), 'execute, Redis stores (warm, closed) / cockatiel execute', NAMES.redis, NAMES.cockatiel, 1.0));
  console.log(
    ratioRow(times(timeout), 'execute with timeoutMs / opossum fire() with its timeout', NAMES.timeout, NAMES.opossumTimeout, 1.0),
  );
}

const rounds = memory.wall[0]![1].length;
const inProcess: [ComparisonResult, string[]][] = [
  [memory, [NAMES.bare, NAMES.cockatiel, NAMES.memory]],
  [redis, [NAMES.bare, NAMES.cockatiel, NAMES.redis]],
  [timeout, [NAMES.opossum, NAMES.opossumTimeout, NAMES.timeout]],
];
console.log(`Per call, median of ${rounds} rounds (min–max), ${memory.calls / rounds} calls a round, one process per group; wall clock:`);
for (const [result, names] of inProcess) for (const name of names) console.log(nsRow(wall(result), name));
console.log('  … and in CPU time of the process:');
for (const [result, names] of inProcess) for (const name of names) console.log(nsRow(cpu(result), name));
console.log(`Per round trip, median of ${rounds} rounds (min–max), ${failure.calls / rounds} calls a round; wall clock:`);
for (const name of [NAMES.evalsha, NAMES.failure]) console.log(nsRow(wall(failure), name));
console.log('Ratios: median of the per-round ratios (min–max); wall clock:');
callRatios(wall);
console.log(ratioRow(wall(failure), 'recordFailure on Redis / one raw EVALSHA', NAMES.failure, NAMES.evalsha, 1.3));
console.log('  … and in CPU time (the calls that wait on nothing):');
callRatios(cpu);
// The failure comparison's commands: one raw EVALSHA per call of the baseline, the rest are recordFailure's.
const failureCommands = (failure.commands ?? 0) - failure.calls;
console.log(
  `Commands sent to Redis: ${redis.commands} over ${redis.calls * 3} calls in the Redis process (${redis.calls} through the Redis stores), ` +
    `${format(failureCommands / failure.calls)} per recordFailure`,
);
