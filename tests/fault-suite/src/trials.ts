/**
 * How many times each fault is tried. docs/reliability.md reports these counts (test/reliability-doc.test.ts
 * keeps the two equal): every trial must hold its invariant, or the suite fails.
 */
export const TRIALS = {
  redisRestartedEmptySameProcess: 5,
  redisRestartedEmptyFreshProcess: 5,
  redisFlushedWithoutRestart: 3,
  thresholdTripWhilePostgresDown: 5,
  manualTripWhilePostgresDown: 5,
  postgresBlackholedDuringResume: 3,
  postgresBlackholedAtStartup: 2,
  resumingProcessKilled: 20,
  tripRacingResume: 20,
  redisDownWhileWorkersFinish: 3,
} as const;

export type FaultName = keyof typeof TRIALS;
