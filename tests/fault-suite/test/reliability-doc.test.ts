/** docs/reliability.md reports the fault suite's trial counts: they must be the ones it runs. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TRIALS } from '../src/trials.js';

const DOC = new URL('../../../docs/reliability.md', import.meta.url);

/** The table's rows that name a fault: fault → [trials, held, lost]. */
async function reportedTrials(): Promise<Map<string, number[]>> {
  const rows = new Map<string, number[]>();
  for (const line of (await readFile(DOC, 'utf8')).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 6 || !/^\d+$/.test(cells[2] ?? '')) continue;
    rows.set(cells[1] ?? '', [Number(cells[2]), Number(cells[3]), Number(cells[4])]);
  }
  return rows;
}

const ROW_OF: Record<keyof typeof TRIALS, string> = {
  redisRestartedEmptySameProcess: 'Redis restarted empty after a trip, same process',
  redisRestartedEmptyFreshProcess: 'Redis restarted empty after a trip, fresh process',
  redisFlushedWithoutRestart: 'Redis flushed without a restart',
  thresholdTripWhilePostgresDown: 'Threshold trip while Postgres is down',
  manualTripWhilePostgresDown: 'Manual trip while Postgres is down',
  postgresBlackholedDuringResume: 'Postgres black-holed during a resume',
  postgresBlackholedAtStartup: 'Postgres black-holed at startup',
  resumingProcessKilled: 'A resuming process killed (SIGKILL) at a random point',
  tripRacingResume: 'A trip racing a resume',
  redisDownWhileWorkersFinish: 'Redis killed while workers finish jobs, back empty',
};

describe('docs/reliability.md', () => {
  it('reports every fault with the trials the suite runs, all held, none lost', async () => {
    const reported = await reportedTrials();
    for (const [fault, trials] of Object.entries(TRIALS)) {
      expect(reported.get(ROW_OF[fault as keyof typeof TRIALS]), fault).toEqual([trials, trials, 0]);
    }
    expect(reported.size).toBe(Object.keys(TRIALS).length);
  });
});
