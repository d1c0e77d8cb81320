/**
 * Timing in rounds: every contender runs once a round, so each ratio is taken between figures measured
 * moments apart, and a burst of load from other processes (a shared machine) spoils one round, not a result.
 * Each round is timed twice: on the wall clock, and in CPU time of this process, which time spent waiting
 * for a core another process holds does not inflate (for calls that wait on nothing, the fairer of the two
 * on a busy machine; for round trips only the wall clock means anything).
 */

/** Something timed: `run(n)` makes n calls, one after the other. */
export interface Contender {
  name: string;
  run(calls: number): Promise<void>;
}

/** Nanoseconds per call for each contender, one entry per round: wall-clock time, and CPU time of this process. */
export interface Rounds {
  wall: Map<string, number[]>;
  cpu: Map<string, number[]>;
}

export async function measureRounds(contenders: readonly Contender[], options: { rounds: number; calls: number }): Promise<Rounds> {
  const rounds: Rounds = {
    wall: new Map(contenders.map((contender) => [contender.name, []])),
    cpu: new Map(contenders.map((contender) => [contender.name, []])),
  };
  for (let round = 0; round < options.rounds; round++) {
    // A different order each round, so no contender always runs right after the same one.
    const order = contenders.map((_, index) => contenders[(index + round) % contenders.length]!);
    for (const contender of order) {
      const cpuBefore = process.cpuUsage();
      const start = process.hrtime.bigint();
      await contender.run(options.calls);
      const wallNs = Number(process.hrtime.bigint() - start);
      const cpu = process.cpuUsage(cpuBefore);
      rounds.wall.get(contender.name)!.push(wallNs / options.calls);
      rounds.cpu.get(contender.name)!.push(((cpu.user + cpu.system) * 1_000) / options.calls);
    }
  }
  return rounds;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** The ratio of two contenders in each round (never a ratio of two medians). */
export function perRoundRatios(times: Map<string, number[]>, contender: string, baseline: string): number[] {
  const ours = times.get(contender) ?? [];
  const theirs = times.get(baseline) ?? [];
  return ours.map((ns, round) => ns / theirs[round]!);
}
