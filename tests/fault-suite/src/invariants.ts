/** The invariants every fault test checks on the rows, read directly from Postgres. */
import { expect } from 'vitest';
import type { Rows } from './fault-world.js';

/** A paused service, completely: its fence up, none of its jobs PENDING, no campaign RUNNING (pause scope: all). */
export function expectPaused(rows: Rows, service: string): void {
  expect(rows.fenced, `the fence of ${service}`).toContain(service);
  expect(rows.jobs[service]?.PENDING ?? 0, `PENDING jobs of ${service}`).toBe(0);
  expect(rows.campaigns.RUNNING ?? 0, 'RUNNING campaigns').toBe(0);
}

/** Everything back: no fence, every campaign RUNNING, every job PENDING, none lost. */
export function expectAllResumed(rows: Rows, expected: { campaigns: number; jobs: number }): void {
  expect(rows.fenced).toEqual([]);
  expect(rows.campaigns).toEqual({ RUNNING: expected.campaigns });
  expect(rows.totalJobs, 'jobs (none lost)').toBe(expected.jobs);
  for (const [service, statuses] of Object.entries(rows.jobs)) expect(statuses, service).toEqual({ PENDING: statuses.PENDING });
}

/** Polls until the check passes, or throws its last failure. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
