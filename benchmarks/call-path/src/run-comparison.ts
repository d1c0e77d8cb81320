/**
 * One comparison, in this process alone (forked by `call-path.bench.ts`): a warm-up, then the rounds that count.
 * Sends its rounds back to the parent, with the commands Redis received during them.
 */
import { COMPARISONS, type ComparisonName } from './comparisons.js';
import { measureRounds } from './rounds.js';

export interface ComparisonResult {
  wall: [string, number[]][];
  cpu: [string, number[]][];
  calls: number;
  /** Commands sent to Redis during the rounds that count, when the comparison goes through Redis. */
  commands: number | null;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const CALLS = Number(process.env.BENCH_CALLS ?? 5_000);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 200);

const name = process.argv[2] as ComparisonName;
if (!(name in COMPARISONS)) throw new Error(`No comparison named ${name}: one of ${Object.keys(COMPARISONS).join(', ')}`);
const setup = await COMPARISONS[name]();
const calls = setup.roundTrips ? ROUND_TRIPS : CALLS;
// Warm-up: JIT, script cache, near-cache.
await measureRounds(setup.contenders, { rounds: 2, calls: calls / 4 });
const commandsBefore = setup.commands?.() ?? 0;
const rounds = await measureRounds(setup.contenders, { rounds: ROUNDS, calls });
const commands = setup.commands ? setup.commands() - commandsBefore : null;
await setup.close();
const result: ComparisonResult = { wall: [...rounds.wall], cpu: [...rounds.cpu], calls: ROUNDS * calls, commands };
process.send!(result);
